import HeimdallProtocol

/// Classifies macOS unified-log messages by the process that wrote them. sshd, sudo and su
/// reuse the Linux classifiers (same OpenSSH, sudo and PAM wordings). Pure: any thread may call it.
enum MacMessages {
    static func classify(process: String, message: String) -> LineMatch? {
        switch process {
        case "sshd", "sshd-session", "sshd-auth": return PAMMessages.classify(message) ?? SSHDMessages.classify(message)
        case "sudo": return PAMMessages.classify(message) ?? SudoMessages.classify(message)
        case "su": return PAMMessages.classify(message) ?? SuLoginMessages.su(message)
        case "loginwindow": return loginWindow(message)
        case "authd", "authorizationhost", "SecurityAgent": return authorization(message) ?? loginWindow(message)
        case "installer", "installd", "system_installd", "softwareupdated", "Installer": return installer(message)
        default: return nil
        }
    }

    /// Screen unlocks, logins and logouts, authentication failures.
    static func loginWindow(_ message: String) -> LineMatch? {
        let lower = message.lowercased()
        var fields: [String: JSONValue] = [:]
        fields.put("user", user(in: message))
        let failed = lower.contains("fail") || lower.contains("incorrect") || lower.contains("invalid password")
        if failed, lower.contains("auth") || lower.contains("password") || lower.contains("login") {
            fields["outcome"] = .string(Outcome.failure.rawValue)
            fields["action"] = .string("logon")
            return LineMatch(.auth, .medium, fields: fields)
        }
        let action: String
        var outcome: Outcome?
        if lower.contains("screenisunlocked") || lower.contains("screen unlocked") {
            action = "unlock"
            outcome = .success
        } else if lower.contains("screenislocked") || lower.contains("screen locked") {
            action = "lock"
        } else if lower.contains("logout") || lower.contains("log out") {
            action = "logoff"
        } else if lower.contains("login") && (lower.contains("success") || lower.contains("succeeded")) {
            action = "logon"
            outcome = .success
        } else {
            return nil
        }
        fields["action"] = .string(action)
        if let outcome { fields["outcome"] = .string(outcome.rawValue) }
        return LineMatch(.auth, .info, fields: fields)
    }

    /// `Succeeded authorizing right 'R' by client 'PATH' [PID] for authorization created by
    /// 'PATH' [PID] ...` and `Failed to authorize right 'R' by client ...`.
    private static func authorization(_ message: String) -> LineMatch? {
        let succeeded = message.hasPrefix("Succeeded authorizing right ")
        guard succeeded || message.hasPrefix("Failed to authorize right ") else { return nil }
        let quoted = message.split(separator: "'", omittingEmptySubsequences: false)
        var fields: [String: JSONValue] = ["outcome": .string((succeeded ? Outcome.success : Outcome.failure).rawValue)]
        if quoted.count > 1 { fields.put("right", quoted[1]) }
        if quoted.count > 3 { fields.put("client", quoted[3]) }
        if quoted.count > 5 { fields.put("command", quoted[5]) }
        fields.put("user", user(in: message))
        return LineMatch(.privilege, succeeded ? .low : .medium, fields: fields)
    }

    /// `Installed "Name" (1.2.3)`, `Install of "Name" succeeded/failed`, `Product archive
    /// /path/Name.pkg ...`, `Install failed: ...`.
    private static func installer(_ message: String) -> LineMatch? {
        let text = Substring(message)
        var fields: [String: JSONValue] = ["action": .string("install")]
        if let range = text.utf8Range(of: "Installed \"") {
            let rest = text[range.upperBound...]
            fields.put("package", rest.prefix { $0 != "\"" })
            if let open = rest.utf8Range(of: "\" ("), let close = rest[open.upperBound...].firstIndex(of: ")") {
                fields.put("version", rest[open.upperBound..<close])
            }
            fields["outcome"] = .string(Outcome.success.rawValue)
            return LineMatch(.software, .info, fields: fields)
        }
        if let range = text.utf8Range(of: "Install of \"") {
            let rest = text[range.upperBound...]
            fields.put("package", rest.prefix { $0 != "\"" })
            let ok = !rest.contains("fail")
            fields["outcome"] = .string((ok ? Outcome.success : Outcome.failure).rawValue)
            return LineMatch(.software, ok ? .info : .low, fields: fields)
        }
        if let range = text.utf8Range(of: "Product archive ") {
            let path = text[range.upperBound...].prefix { $0 != " " }
            fields.put("package", path.split(separator: "/").last)
            fields["action"] = .string("package_opened")
            return LineMatch(.software, .info, fields: fields)
        }
        if text.lowercased().contains("install failed") || text.lowercased().contains("installation failed") {
            fields["outcome"] = .string(Outcome.failure.rawValue)
            return LineMatch(.software, .low, fields: fields)
        }
        return nil
    }

    /// A user name after `user '`, `user "`, `user: `, `user=`, `for user ` or `userName: `.
    private static func user(in message: String) -> Substring? {
        for marker in ["user '", "user \"", "User '", "userName: ", "user: ", "user=", "for user ", "User: "] {
            guard let range = message.utf8Range(of: marker) else { continue }
            let value = message[range.upperBound...].prefix { !" '\",;()<>".contains($0) }
            if !value.isEmpty { return value }
        }
        return nil
    }
}
