import Foundation

/// Every parser by its source name, and the choice of a parser from a log file's path.
/// Pure: any thread may call it.
public enum ParserCatalog {
    /// The source names, in the order `--source` lists them.
    public static let names = [
        "linux.auth", "linux.syslog", "linux.web", "linux.mail", "linux.packages", "linux.firewall", "pihole",
        "windows.security", "windows.system", "windows.application", "macos.unified",
    ]

    /// The parser whose events are named `name`, or `nil` for an unknown name. Classic
    /// timestamps are read in `timeZone`.
    public static func parser(named name: String, timeZone: TimeZone = .current) -> (any LineParser)? {
        switch name {
        case "linux.auth": AuthLogParser(timeZone: timeZone)
        case "linux.syslog": SyslogParser(timeZone: timeZone)
        case "linux.web": WebLogParser(timeZone: timeZone)
        case "linux.mail": MailLogParser(timeZone: timeZone)
        case "linux.packages": PackageLogParser(timeZone: timeZone)
        case "linux.firewall": FirewallLogParser(timeZone: timeZone)
        case "pihole": PiholeLogParser(timeZone: timeZone)
        case "windows.security", "windows.system", "windows.application": WindowsEventParser(source: name)
        case "macos.unified": MacUnifiedLogParser(timeZone: timeZone)
        default: nil
        }
    }

    /// The source name for a file, from its name and directory: auth.log/secure → auth;
    /// syslog/messages/kern.log → syslog; mail.log/maillog → mail; dpkg.log, apt's
    /// history.log, dnf/yum/pacman logs → packages; ufw.log, firewall, filter.log → firewall;
    /// pihole.log → pihole; `*.evtx.xml` and `windows-*.xml` → the Windows log the name
    /// mentions (security by default); `*.ndjson` → macOS; access/error logs and anything
    /// under an nginx/apache/apache2/httpd directory → web; anything else → syslog.
    /// Rotated names (`auth.log.1`, `access.log-20261120`) count as the original.
    public static func sourceName(forPath path: String) -> String {
        let lowered = path.lowercased()
        let components = lowered.split(separator: "/")
        let name = components.last.map(String.init) ?? lowered
        func starts(_ prefixes: String...) -> Bool { prefixes.contains { name.hasPrefix($0) } }
        if name.hasSuffix(".evtx.xml") || (name.hasPrefix("windows") && name.hasSuffix(".xml")) {
            if name.contains("system") { return "windows.system" }
            if name.contains("application") { return "windows.application" }
            return "windows.security"
        }
        if name.hasSuffix(".ndjson") { return "macos.unified" }
        if starts("auth.log", "secure") { return "linux.auth" }
        if starts("pihole.log") { return "pihole" }
        if starts("mail.log", "maillog", "mail.err", "mail.warn", "mail.info") { return "linux.mail" }
        if starts("dpkg.log", "history.log", "dnf.log", "dnf.rpm.log", "yum.log", "pacman.log", "zypp") { return "linux.packages" }
        if starts("ufw.log", "firewall", "filter.log", "filterlog", "iptables", "nftables") { return "linux.firewall" }
        if starts("syslog", "messages", "kern.log") { return "linux.syslog" }
        let webDirectory = components.dropLast().contains { ["nginx", "apache", "apache2", "httpd", "lighttpd"].contains($0) }
        if webDirectory || name.contains("access.log") || name.contains("access_log") || name.contains("error.log") || name.contains("error_log") {
            return "linux.web"
        }
        return "linux.syslog"
    }
}
