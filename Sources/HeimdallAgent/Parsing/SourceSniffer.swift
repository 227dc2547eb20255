#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Guesses a file's source from its first lines when its name says nothing: each line votes
/// for the source whose format it has, and the most votes win. Pure: any thread may call it.
enum SourceSniffer {
    /// Programs whose syslog lines belong in auth.log / secure.
    private static let authPrograms: Set<String> = [
        "sshd", "sshd-session", "sudo", "su", "login", "useradd", "userdel", "usermod", "groupadd", "groupdel", "groupmod",
        "gpasswd", "passwd", "chpasswd", "chage", "polkitd", "pkexec",
    ]

    /// The winning source for `lines` (at most the first 200 non-empty ones count), or `nil`
    /// when none of them has a recognizable format.
    static func source(for lines: some Sequence<Substring>, now: Date) -> String? {
        var votes: [String: Int] = [:]
        var counted = 0
        for line in lines where !line.allSatisfy(\.isWhitespace) {
            if let guess = guess(line, now: now) { votes[guess, default: 0] += 1 }
            counted += 1
            if counted >= 200 { break }
        }
        return ParserCatalog.names.max { (votes[$0] ?? 0) < (votes[$1] ?? 0) }.flatMap { (votes[$0] ?? 0) > 0 ? $0 : nil }
    }

    /// The source one line looks like, or `nil`.
    static func guess(_ line: Substring, now: Date) -> String? {
        let utc = FixedOffset.utc
        if line.hasPrefix("{") {
            if line.contains("\"eventMessage\"") || line.contains("\"processImagePath\"") { return "macos.unified" }
            return line.contains("\"__REALTIME_TIMESTAMP\"") || line.contains("\"MESSAGE\"") ? "linux.journald" : nil
        }
        if line.hasPrefix("<Event") || (line.hasPrefix("<?xml") && line.contains("<Event")) { return windowsSource(line) }
        let text = String(line)
        if WebLogParser(timeZone: utc).parse(text, readAt: now).category == .web { return "linux.web" }
        if PackageLogParser(timeZone: utc).parse(text, readAt: now).category == .software { return "linux.packages" }
        guard let header = SyslogLine.parse(text, now: now, timeZone: utc), let program = header.program else { return nil }
        if authPrograms.contains(program) { return "linux.auth" }
        if program == "CRON" || program == "cron" { return header.message.hasPrefix("pam_unix(") ? "linux.auth" : "linux.syslog" }
        if program.hasPrefix("postfix") || program.hasPrefix("dovecot") { return "linux.mail" }
        if program == "dnsmasq" || program == "pihole-FTL" { return "pihole" }
        if program == "filterlog" || FirewallLogParser.packetLog(Substring(header.message)) != nil { return "linux.firewall" }
        return "linux.syslog"
    }

    /// `windows.security`, `windows.system` or `windows.application` from `<Channel>`.
    private static func windowsSource(_ line: Substring) -> String {
        if line.contains("<Channel>System</Channel>") { return "windows.system" }
        if line.contains("<Channel>Application</Channel>") { return "windows.application" }
        return "windows.security"
    }
}
