#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Parses syslog / messages / kern.log: kernel crashes (panic, oops/BUG, OOM kills,
/// segfaults), hardware errors (MCE, EDAC, disk I/O), boots and reboots, and systemd unit
/// failures. Lines of other programs that land in these files (sshd, sudo, postfix,
/// firewall packet logs, dnsmasq) get their own classifiers (``classifyAny(_:)``).
/// Everything else becomes `system`/`info` with the header fields.
///
/// Fields: `host`, `process`, `pid` (for a crash: the process that died), `service`,
/// `action`, `exit_code`, `exit_status`, `reason`, `outcome`. A pure value: any thread may call it.
public struct SyslogParser: LineParser {
    /// The collector name given at construction (`linux.syslog` by default).
    public let source: String
    /// The zone classic timestamps (without offset) are interpreted in.
    public let timeZone: any UTCOffsets

    /// A parser naming its events `source`; classic timestamps are read in `timeZone`.
    public init(source: String = "linux.syslog", timeZone: any UTCOffsets = HostTimeZone.shared) {
        self.source = source
        self.timeZone = timeZone
    }

    /// Parses any line; never fails.
    public func parse(_ line: String, readAt: Date) -> ParsedLine {
        ClassifiedLine.syslog(line, readAt: readAt, timeZone: timeZone, classify: Self.classifyAny)
    }

    /// Every syslog classifier, for files and journals that mix programs (`messages` on
    /// distributions that log everything there, the journal): kernel and systemd, then
    /// authentication and account changes, mail, firewall packet logs, dnsmasq.
    static func classifyAny(_ header: SyslogLine) -> LineMatch? {
        if let match = classify(header) ?? AuthLogParser.classify(header) ?? MailLogParser.classify(header) { return match }
        if header.program == "kernel", let packet = FirewallLogParser.packetLog(Substring(header.message)) { return packet }
        if header.program == "dnsmasq" || header.program == "pihole-FTL" { return PiholeLogParser.classify(header.message) }
        return nil
    }

    /// The kernel or systemd classification of a header's message, if any.
    static func classify(_ header: SyslogLine) -> LineMatch? {
        switch header.program {
        case "kernel": return KernelMessages.classify(header.message)
        case "systemd", "init": return SystemdMessages.classify(header.message)
        case "systemd-coredump": return SystemdMessages.coredump(header.message)
        case "systemd-journald": return SystemdMessages.journald(header.message)
        default: return nil
        }
    }
}
