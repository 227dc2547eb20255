#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every parser by its source name, and the choice of a parser from a log file's path.
/// Pure: any thread may call it.
public enum ParserCatalog {
    /// The source names, in the order `--source` lists them; `auto` chooses per line.
    public static let names = [
        "linux.auth", "linux.syslog", "linux.journald", "linux.web", "linux.mail", "linux.packages", "linux.firewall", "pihole",
        "windows.security", "windows.system", "windows.application", "macos.unified", "auto",
    ]

    /// The parser whose events are named `name`, or `nil` for an unknown name. Classic
    /// timestamps are read in `timeZone`.
    public static func parser(named name: String, timeZone: any UTCOffsets = HostTimeZone.shared) -> (any LineParser)? {
        switch name {
        case "linux.auth": AuthLogParser(timeZone: timeZone)
        case "linux.syslog": SyslogParser(timeZone: timeZone)
        case "linux.journald": JournaldParser()
        case "linux.web": WebLogParser(timeZone: timeZone)
        case "linux.mail": MailLogParser(timeZone: timeZone)
        case "linux.packages": PackageLogParser(timeZone: timeZone)
        case "linux.firewall": FirewallLogParser(timeZone: timeZone)
        case "pihole": PiholeLogParser(timeZone: timeZone)
        case "windows.security", "windows.system", "windows.application": WindowsEventParser(source: name)
        case "macos.unified": MacUnifiedLogParser(timeZone: timeZone)
        case "auto": AutoDetectingParser(timeZone: timeZone)
        default: nil
        }
    }

    /// The source name for a file: from its name (``sourceName(forFileName:)``), else from
    /// `sample` (its first lines, when the caller read them; ``sourceName(forSample:now:)``),
    /// else `linux.syslog`.
    public static func sourceName(forPath path: String, sample: String? = nil, now: Date = Date()) -> String {
        if let byName = sourceName(forFileName: path) { return byName }
        if let sample, let byContent = sourceName(forSample: sample, now: now) { return byContent }
        return "linux.syslog"
    }

    /// The source whose format most of `sample`'s first 200 lines have (a syslog line votes
    /// by its program: sshd, sudo, su, useradd... → auth; postfix, dovecot → mail; dnsmasq →
    /// pihole; filterlog or a packet log → firewall; others → syslog), or `nil` when no
    /// line is recognizable.
    public static func sourceName(forSample sample: String, now: Date = Date()) -> String? {
        SourceSniffer.source(for: sample.split(whereSeparator: \.isNewline).prefix(400), now: now)
    }

    /// The source name a file's name and directory call for, ignoring case and rotation
    /// suffixes, or `nil` when they say nothing: see docs/EVENTS.md for the table.
    public static func sourceName(forFileName path: String) -> String? {
        let lowered = path.lowercased()
        let components = lowered.split(separator: "/")
        let name = components.last.map(String.init) ?? lowered
        func has(_ needles: String...) -> Bool { needles.contains { name.contains($0) } }
        func starts(_ prefixes: String...) -> Bool { prefixes.contains { name.hasPrefix($0) } }
        if name.hasSuffix(".evtx.xml") || (has("windows", "evtx", "wevtutil") && has(".xml")) {
            if name.contains("system") { return "windows.system" }
            if name.contains("application") { return "windows.application" }
            return "windows.security"
        }
        if has("journal") && (has(".json") || has("journalctl")) { return "linux.journald" }
        if name.hasSuffix(".ndjson") || has("macos", "unified") { return "macos.unified" }
        if starts("auth", "secure") || has("auth.log") { return "linux.auth" }
        if has("pihole", "pi-hole", "dnsmasq") { return "pihole" }
        if has("mail.log", "maillog", "mail.err", "mail.warn", "mail.info", "postfix", "dovecot") { return "linux.mail" }
        if has("dpkg", "history.log", "dnf", "yum", "pacman", "zypp") || starts("apt") || components.dropLast().last == "apt" {
            return "linux.packages"
        }
        if has("ufw", "firewall", "filter.log", "filterlog", "iptables", "nftables", "pfsense", "opnsense") { return "linux.firewall" }
        if starts("syslog", "messages", "kern.log", "kern") { return "linux.syslog" }
        let webDirectory = components.dropLast().contains { ["nginx", "apache", "apache2", "httpd", "lighttpd"].contains($0) }
        if webDirectory || has("access.log", "access_log", "error.log", "error_log", "nginx", "apache", "httpd") { return "linux.web" }
        return nil
    }
}
