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
        let text = message.drop { $0 == " " }
        guard let separator = text.utf8Range(of: " : ") else { return nil }
        let user = text[..<separator.lowerBound]
        guard !user.isEmpty, !user.contains(" ") else { return nil }
        let parts = text[separator.upperBound...].components(separatedBy: " ; ")
        var fields: [String: JSONValue] = ["user": .string(String(user))]
        var failure: String?
        for (index, part) in parts.enumerated() {
            if part.hasPrefix("COMMAND=") {
                fields["command"] = .string(String(parts[index...].joined(separator: " ; ").dropFirst("COMMAND=".count)))
                break
            } else if part.hasPrefix("USER=") {
                fields["target_user"] = .string(String(part.dropFirst("USER=".count)))
            } else if index == 0, !part.contains("=") {
                failure = part
            }
        }
        guard fields["command"] != nil else { return nil }
        if let failure {
            guard failures.contains(where: { failure.contains($0) }) else { return nil }
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
    private static let privilegeServices: Set<String> = ["sudo", "sudo-i", "su", "su-l", "pkexec"]

    /// Services where PAM's `user=` is the account switched to (the caller is `ruser`).
    private static let switchServices: Set<String> = ["su", "su-l"]

    /// The match for a PAM authentication failure or an su session, or `nil`.
    static func classify(_ message: String) -> LineMatch? {
        if let session = suSession(message) { return session }
        let service: String
        let close: Range<String.Index>
        if message.hasPrefix("pam_unix("), let end = message.utf8Range(of: "): authentication failure") {
            let module = message[message.index(message.startIndex, offsetBy: "pam_unix(".count)..<end.lowerBound]
            service = String(module.split(separator: ":").first ?? "")
            close = end
        } else if message.hasPrefix("PAM "), let end = message.utf8Range(of: " more authentication failure") {
            // sshd's summary: `PAM 2 more authentication failures; logname= ... rhost=IP  user=root`.
            service = "sshd"
            close = end
        } else {
            return nil
        }
        var fields: [String: JSONValue] = ["outcome": .string(Outcome.failure.rawValue)]
        var values: [Substring: Substring] = [:]
        for pair in message[close.upperBound...].split(separator: " ") {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            values[pair[..<equals]] = pair[pair.index(after: equals)...]
        }
        if switchServices.contains(service) {
            fields.put("user", values["ruser"].flatMap { $0.isEmpty ? nil : $0 } ?? values["logname"])
            fields.put("target_user", values["user"])
        } else {
            fields.put("user", values["user"])
        }
        if let rhost = values["rhost"], !rhost.isEmpty {
            if IPAddress.isValid(rhost) { fields.put("src_ip", rhost) } else { fields.put("src_host", rhost) }
        }
        if privilegeServices.contains(service) {
            return LineMatch(.privilege, .medium, fields: fields)
        }
        return LineMatch(.auth, .medium, fields: fields)
    }

    /// `pam_unix(su:session): session opened for user root(uid=0) by alice(uid=1000)`.
    private static func suSession(_ message: String) -> LineMatch? {
        guard message.hasPrefix("pam_unix(su"), let range = message.utf8Range(of: ":session): session opened for user ") else { return nil }
        let rest = message[range.upperBound...]
        guard let by = rest.utf8Range(of: " by ") else { return nil }
        var fields: [String: JSONValue] = ["outcome": .string(Outcome.success.rawValue)]
        fields.put("target_user", rest[..<by.lowerBound].prefix { $0 != "(" })
        fields.put("user", rest[by.upperBound...].prefix { $0 != "(" && $0 != " " })
        return LineMatch(.privilege, .low, fields: fields)
    }
}
