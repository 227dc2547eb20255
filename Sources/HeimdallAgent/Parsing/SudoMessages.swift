import Foundation
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
    static func classify(_ message: String) -> AuthMatch? {
        let text = message.drop { $0 == " " }
        guard let separator = text.range(of: " : ") else { return nil }
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
            return AuthMatch(.privilege, .medium, fields: fields)
        }
        fields["outcome"] = .string(Outcome.success.rawValue)
        return AuthMatch(.privilege, .low, fields: fields)
    }
}

/// Recognizes `pam_unix(SERVICE:auth): authentication failure; ... rhost=.. user=..`.
/// Pure: any thread may call it.
enum PAMMessages {
    /// Services whose failures are privilege escalations rather than logins.
    private static let privilegeServices: Set<String> = ["sudo", "sudo-i", "su", "su-l", "pkexec"]

    /// The match for a PAM authentication failure, or `nil`.
    static func classify(_ message: String) -> AuthMatch? {
        guard message.hasPrefix("pam_unix("), let close = message.range(of: "): authentication failure") else { return nil }
        let module = message[message.index(message.startIndex, offsetBy: "pam_unix(".count)..<close.lowerBound]
        let service = String(module.split(separator: ":").first ?? "")
        var fields: [String: JSONValue] = ["outcome": .string(Outcome.failure.rawValue)]
        for pair in message[close.upperBound...].split(separator: " ") {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let key = pair[..<equals]
            let value = pair[pair.index(after: equals)...]
            guard !value.isEmpty else { continue }
            switch key {
            case "user": fields["user"] = .string(String(value))
            case "rhost" where IPAddress.isValid(value): fields["src_ip"] = .string(String(value))
            case "rhost": fields["src_host"] = .string(String(value))
            default: break
            }
        }
        if privilegeServices.contains(service) {
            return AuthMatch(.privilege, .medium, fields: fields)
        }
        return AuthMatch(.auth, .medium, fields: fields)
    }
}
