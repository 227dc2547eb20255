#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Parses mail.log / maillog: postfix SASL authentication failures and successes, dovecot
/// login failures (`auth failed`, `Aborted login (auth failed ...)`, `pam(...)` failures)
/// and logins. Everything else becomes `system`/`info` with the header fields.
///
/// Fields: `user`, `src_ip`, `src_port`, `dst_ip`, `method`, `outcome`, `host`, `process`,
/// `pid`. A pure value: any thread may call it.
public struct MailLogParser: LineParser {
    /// `linux.mail`.
    public let source = "linux.mail"
    /// The zone classic timestamps are interpreted in.
    public let timeZone: any UTCOffsets

    /// A parser reading classic timestamps in `timeZone`.
    public init(timeZone: any UTCOffsets = HostTimeZone.shared) {
        self.timeZone = timeZone
    }

    /// Parses one mail-log line; never fails.
    public func parse(_ line: String, readAt: Date) -> ParsedLine {
        ClassifiedLine.syslog(line, readAt: readAt, timeZone: timeZone, classify: Self.classify)
    }

    /// The postfix or dovecot classification of a header's message, if any.
    static func classify(_ header: SyslogLine) -> LineMatch? {
        guard let program = header.program else { return nil }
        if program.hasPrefix("postfix") { return postfix(header.message) }
        if program.hasPrefix("dovecot") { return dovecot(header.message) }
        return nil
    }

    /// `warning: unknown[203.0.113.5]: SASL LOGIN authentication failed: ...` and
    /// `4F1A2B: client=host[IP], sasl_method=PLAIN, sasl_username=bob`.
    private static func postfix(_ message: String) -> LineMatch? {
        let text = Substring(message)
        if let failed = text.utf8Range(of: " authentication failed"), let sasl = text.utf8Range(of: ": SASL ") {
            var fields: [String: JSONValue] = ["outcome": .string(Outcome.failure.rawValue)]
            fields.put("method", text[sasl.upperBound..<failed.lowerBound])
            addClient(text[..<sasl.lowerBound], to: &fields)
            if let user = text.utf8Range(of: "sasl_username=") { fields.put("user", text[user.upperBound...].prefix { $0 != "," && $0 != " " }) }
            return LineMatch(.auth, .medium, fields: fields)
        }
        if let client = text.utf8Range(of: "client="), let user = text.utf8Range(of: "sasl_username=") {
            var fields: [String: JSONValue] = ["outcome": .string(Outcome.success.rawValue)]
            addClient(text[client.upperBound...].prefix { $0 != "," }, to: &fields)
            fields.put("user", text[user.upperBound...].prefix { $0 != "," && $0 != " " })
            if let method = text.utf8Range(of: "sasl_method=") { fields.put("method", text[method.upperBound...].prefix { $0 != "," }) }
            return LineMatch(.auth, .info, fields: fields)
        }
        return nil
    }

    /// `host[IP]` at the end of `text` (after `warning: `).
    private static func addClient(_ text: Substring, to fields: inout [String: JSONValue]) {
        guard let open = text.lastIndex(of: "["), let close = text.lastIndex(of: "]"), open < close else { return }
        fields.put("src_ip", ip: text[text.index(after: open)..<close])
        let name = text[..<open].split(separator: " ").last
        if let name, name != "unknown" { fields.put("src_host", name) }
    }

    /// dovecot password databases, as they prefix their messages: `pam(user,ip,...)`.
    private static let passdbs = ["pam(", "passwd-file(", "sql(", "ldap(", "shadow(", "passwd(", "checkpassword(", "bsdauth("]

    /// `imap-login: Aborted login (auth failed, 3 attempts in 15 secs): user=<bob>, method=PLAIN, rip=IP, lip=IP`,
    /// `auth: pam(bob,IP,<sess>): pam_authenticate() failed: ...` (or another passdb),, `imap-login: Login: user=<bob>, ...`.
    private static func dovecot(_ message: String) -> LineMatch? {
        let text = Substring(message)
        let failed = text.contains("auth failed") || text.contains("authentication failure") || text.contains("Authentication failure")
            || text.contains("password mismatch") || text.contains("unknown user")
        if let passdb = passdbs.lazy.compactMap({ text.utf8Range(of: $0) }).first, failed || text.contains("failed") {
            let inner = text[passdb.upperBound...].prefix { $0 != ")" }.split(separator: ",", omittingEmptySubsequences: false)
            var fields: [String: JSONValue] = ["outcome": .string(Outcome.failure.rawValue)]
            fields.put("user", inner.first)
            if inner.count > 1 { fields.put("src_ip", ip: inner[1]) }
            return LineMatch(.auth, .medium, fields: fields)
        }
        let isLogin = text.contains("Login: user=")
        guard failed || isLogin, text.contains("user=") || text.contains("rip=") else { return nil }
        var fields: [String: JSONValue] = ["outcome": .string((isLogin ? Outcome.success : Outcome.failure).rawValue)]
        for pair in text.split(separator: ",").map({ $0.drop { $0 == " " } }) {
            let key = pair.prefix { $0 != "=" }
            guard key.count < pair.count else { continue }
            let value = pair.dropFirst(key.count + 1)
            switch key.split(separator: " ").last ?? key {
            case "user": fields.put("user", value.trimmingCharacters(where: { "<>".contains($0) }))
            case "method": fields.put("method", value)
            case "rip": fields.put("src_ip", ip: value)
            case "lip": fields.put("dst_ip", ip: value)
            case "rport": fields.put("src_port", number: Int(value))
            default: break
            }
        }
        return LineMatch(.auth, isLogin ? .info : .medium, fields: fields)
    }
}
