#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Recognizes `sudo` log lines: `USER : [FAILURE ; ]TTY=.. ; PWD=.. ; USER=.. ; COMMAND=..`.
/// Pure: any thread may call it.
enum SudoMessages {
    /// Phrases sudo puts first when it refused or could not authenticate.
    private static let failures = [
        "incorrect password attempt", "user NOT in sudoers", "command not allowed", "a password is required",
        "authentication failure", "user NOT authorized on host",
    ]

    /// The match for a sudo message, or `nil` when it is not a command line.
    static func classify(_ message: String) -> LineMatch? {
        let text = Substring(message).dropping(leading: UInt8(ascii: " "))
        guard let separator = text.utf8Range(of: " : ") else { return nil }
        let user = text[..<separator.lowerBound]
        guard !user.isEmpty, user.firstIndex(ofByte: UInt8(ascii: " ")) == nil else { return nil }
        var fields = [String: JSONValue](minimumCapacity: 8)
        fields["user"] = .string(String(user))
        var failure: Substring?
        var rest = text[separator.upperBound...]
        var first = true
        // `TTY=.. ; PWD=.. ; USER=.. ; COMMAND=..`: the command runs to the end, ` ; ` and all.
        while true {
            let end = rest.utf8Range(of: " ; ")
            let part = rest[..<(end?.lowerBound ?? rest.endIndex)]
            if let command = rest.dropPrefix("COMMAND=") {
                fields["command"] = .string(String(command))
                break
            } else if let target = part.dropPrefix("USER=") {
                fields["target_user"] = .string(String(target))
            } else if first, part.firstIndex(ofByte: UInt8(ascii: "=")) == nil {
                failure = part
            }
            guard let end else { break }
            rest = rest[end.upperBound...]
            first = false
        }
        guard fields["command"] != nil else { return nil }
        if let failure {
            guard failures.contains(where: { failure.utf8Contains($0) }) else { return nil }
            fields["outcome"] = .string(Outcome.failure.rawValue)
            return LineMatch(.privilege, .medium, fields: fields)
        }
        fields["outcome"] = .string(Outcome.success.rawValue)
        return LineMatch(.privilege, .low, fields: fields)
    }
}

/// Recognizes `pam_unix(SERVICE:auth): authentication failure; ... rhost=.. user=..`, sshd's
/// `PAM N more authentication failures; ...` and su sessions.
/// Pure: any thread may call it.
enum PAMMessages {
    /// Services whose failures are privilege escalations rather than logins.
    private static let privilegeServices: Set<Substring> = ["sudo", "sudo-i", "su", "su-l", "pkexec"]

    /// Services where PAM's `user=` is the account switched to (the caller is `ruser`).
    private static let switchServices: Set<Substring> = ["su", "su-l"]

    /// The match for a PAM authentication failure or an su session, or `nil`.
    static func classify(_ message: String) -> LineMatch? {
        let text = Substring(message)
        if let session = suSession(text) { return session }
        let service: Substring
        let close: Range<String.Index>
        if let module = text.dropPrefix("pam_unix("), let end = text.utf8Range(of: "): authentication failure") {
            // What `split(separator: ":").first` gives: leading colons skipped, up to the next one.
            service = module[..<end.lowerBound].dropping(leading: UInt8(ascii: ":")).prefix(upToByte: UInt8(ascii: ":"))
            close = end
        } else if text.hasUTF8Prefix("PAM "), let end = text.utf8Range(of: " more authentication failure") {
            // sshd's summary: `PAM 2 more authentication failures; logname= ... rhost=IP  user=root`.
            service = "sshd"
            close = end
        } else {
            return nil
        }
        let values = PAMValues(text[close.upperBound...])
        var fields = [String: JSONValue](minimumCapacity: 8)
        fields["outcome"] = .string(Outcome.failure.rawValue)
        if switchServices.contains(service) {
            fields.put("user", values.ruser.flatMap { $0.isEmpty ? nil : $0 } ?? values.logname)
            fields.put("target_user", values.user)
        } else {
            fields.put("user", values.user)
        }
        if let rhost = values.rhost, !rhost.isEmpty {
            if IPAddress.isValid(rhost) { fields.put("src_ip", rhost) } else { fields.put("src_host", rhost) }
        }
        if privilegeServices.contains(service) {
            return LineMatch(.privilege, .medium, fields: fields)
        }
        return LineMatch(.auth, .medium, fields: fields)
    }

    /// `pam_unix(su:session): session opened for user root(uid=0) by alice(uid=1000)`.
    private static func suSession(_ text: Substring) -> LineMatch? {
        guard text.hasUTF8Prefix("pam_unix(su"), let range = text.utf8Range(of: ":session): session opened for user ") else { return nil }
        let rest = text[range.upperBound...]
        guard let by = rest.utf8Range(of: " by ") else { return nil }
        var fields: [String: JSONValue] = ["outcome": .string(Outcome.success.rawValue)]
        fields.put("target_user", rest[..<by.lowerBound].prefix(upToByte: UInt8(ascii: "(")))
        fields.put("user", rest[by.upperBound...].prefix { $0 != "(" && $0 != " " })
        return LineMatch(.privilege, .low, fields: fields)
    }
}

/// The `key=value` words after a PAM failure that the classifier reads (the last one of each
/// key counts). A plain value.
struct PAMValues {
    var user: Substring?
    var ruser: Substring?
    var logname: Substring?
    var rhost: Substring?

    init(_ text: Substring) {
        for word in SpaceSeparated(text) {
            guard let equals = word.firstIndex(ofByte: UInt8(ascii: "=")) else { continue }
            let value = word[word.utf8.index(after: equals)...]
            switch word[..<equals] {
            case "user": user = value
            case "ruser": ruser = value
            case "logname": logname = value
            case "rhost": rhost = value
            default: continue
            }
        }
    }
}
