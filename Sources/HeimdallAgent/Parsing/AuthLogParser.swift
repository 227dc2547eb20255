#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Parses `/var/log/auth.log` (Debian/Ubuntu; `/var/log/secure` has the same lines):
/// sshd logins and failures, sudo commands and failures, su, login, PAM authentication
/// failures, and account changes (useradd, userdel, usermod, groupadd, gpasswd, passwd).
/// Anything else becomes `system`/`info`.
///
/// Fields: `user`, `target_user`, `group`, `src_ip`, `src_port`, `process`, `pid`, `command`,
/// `method`, `action`, `tty`, `outcome` (`success` / `failure`), `host`; `src_host` when PAM
/// names a host instead of an address. A pure value: any thread may call it.
public struct AuthLogParser: LineParser {
    /// `linux.auth`.
    public let source = "linux.auth"
    /// The zone classic timestamps are interpreted in (the host's by default).
    public let timeZone: any UTCOffsets

    /// A parser reading classic timestamps in `timeZone`.
    public init(timeZone: any UTCOffsets = HostTimeZone.shared) {
        self.timeZone = timeZone
    }

    /// Parses one auth.log line; never fails.
    public func parse(_ line: String, readAt: Date) -> ParsedLine {
        ClassifiedLine.syslog(line, readAt: readAt, timeZone: timeZone, classify: Self.classify)
    }

    /// The authentication, privilege or account-change classification of a header's message.
    static func classify(_ header: SyslogLine) -> LineMatch? {
        if let pam = PAMMessages.classify(header.message) { return pam }
        switch header.program {
        case "sshd", "sshd-session": return SSHDMessages.classify(header.message)
        case "sudo": return SudoMessages.classify(header.message)
        case "su": return SuLoginMessages.su(header.message)
        case "login": return SuLoginMessages.login(header.message)
        case let program? where AccountMessages.programs.contains(program): return AccountMessages.classify(header.message)
        default: return nil
        }
    }
}
