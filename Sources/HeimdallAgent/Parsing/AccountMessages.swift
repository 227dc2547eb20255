#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Recognizes shadow-utils account changes: useradd, userdel, usermod, groupadd, groupdel,
/// groupmod, gpasswd, passwd/chpasswd/chage. All are `privilege` events with an `action`;
/// membership of an administrative group is `high`. Pure: any thread may call it.
enum AccountMessages {
    /// Groups whose members can become root.
    static let adminGroups: Set<String> = ["sudo", "wheel", "admin", "root", "adm", "docker", "lxd", "libvirt", "disk", "shadow"]

    /// Programs whose messages this classifier reads.
    static let programs: Set<String> = [
        "useradd", "userdel", "usermod", "groupadd", "groupdel", "groupmod", "gpasswd", "passwd", "chpasswd", "chage", "adduser", "deluser",
    ]

    /// The match for an account-management message, or `nil`.
    static func classify(_ message: String) -> LineMatch? {
        let text = Substring(message)
        if let rest = text.dropPrefix("new user: ") {
            let values = pairs(rest)
            return change("user_created", .medium, target: values["name"], extra: ["uid": values["UID"], "home": values["home"], "shell": values["shell"]])
        }
        if let rest = text.dropPrefix("new group: ") ?? text.dropPrefix("group added to /etc/group: ") {
            let values = pairs(rest)
            return change("group_created", .low, group: values["name"], extra: ["gid": values["GID"]])
        }
        if let rest = text.dropPrefix("delete user ") {
            return change("user_deleted", .medium, target: unquote(rest))
        }
        if let rest = text.dropPrefix("removed group "), let owned = rest.utf8Range(of: " owned by ") {
            return change("group_deleted", .low, group: unquote(rest[..<owned.lowerBound]))
        }
        if let rest = text.dropPrefix("group "), let removed = rest.utf8Range(of: " removed") {
            return change("group_deleted", .low, group: unquote(rest[..<removed.lowerBound]))
        }
        if let rest = text.dropPrefix("add "), let to = rest.utf8Range(of: " to group ") ?? rest.utf8Range(of: " to shadow group ") {
            let group = unquote(rest[to.upperBound...])
            return change("group_member_added", isAdmin(group) ? .high : .medium, target: unquote(rest[..<to.lowerBound]), group: group)
        }
        if let rest = text.dropPrefix("delete "), let from = rest.utf8Range(of: " from group ") ?? rest.utf8Range(of: " from shadow group ") {
            return change("group_member_removed", .low, target: unquote(rest[..<from.lowerBound]), group: unquote(rest[from.upperBound...]))
        }
        if let gpasswd = gpasswdMember(text) { return gpasswd }
        if let password = passwordChange(text) { return password }
        if let rest = text.dropPrefix("change user ") ?? text.dropPrefix("lock user ") ?? text.dropPrefix("unlock user ") {
            let verb = text.prefix { $0 != " " }
            let target = rest.split(separator: " ", maxSplits: 1).first.map(unquote)
            let action = verb == "change" ? "user_changed" : "user_\(verb)ed"
            return change(action, .low, target: target, extra: ["detail": rest])
        }
        return nil
    }

    /// `user bob added by root to group sudo`, `user bob removed by root from group sudo`.
    private static func gpasswdMember(_ text: Substring) -> LineMatch? {
        guard let rest = text.dropPrefix("user ") else { return nil }
        let words = rest.split(separator: " ")
        guard words.count >= 7, words[2] == "by", words[4] == "group" || words[5] == "group" else { return nil }
        let group = words[words.count - 1]
        var match: LineMatch
        switch words[1] {
        case "added": match = change("group_member_added", isAdmin(group) ? .high : .medium, target: words[0], group: group)
        case "removed": match = change("group_member_removed", .low, target: words[0], group: group)
        default: return nil
        }
        match.fields.put("user", words[3])
        return match
    }

    /// `pam_unix(passwd:chauthtok): password changed for bob`, `password for 'bob' changed by 'root'`,
    /// `changed password expiry for bob`.
    private static func passwordChange(_ text: Substring) -> LineMatch? {
        if let range = text.utf8Range(of: "password changed for ") {
            return change("password_changed", .medium, target: text[range.upperBound...].prefix { $0 != " " })
        }
        if let rest = text.dropPrefix("password for "), let changed = rest.utf8Range(of: " changed by ") {
            var match = change("password_changed", .medium, target: unquote(rest[..<changed.lowerBound]))
            match.fields.put("user", unquote(rest[changed.upperBound...]))
            return match
        }
        if let rest = text.dropPrefix("changed password expiry for ") {
            return change("password_expiry_changed", .low, target: rest)
        }
        return nil
    }

    private static func change(_ action: String, _ severity: EventSeverity, target: Substring? = nil, group: Substring? = nil,
                               extra: KeyValuePairs<String, Substring?> = [:]) -> LineMatch {
        var fields = [String: JSONValue](minimumCapacity: 10)
        fields["action"] = .string(action)
        fields["outcome"] = .string(Outcome.success.rawValue)
        fields.put("target_user", target)
        fields.put("group", group)
        for (key, value) in extra { fields.put(key, value) }
        return LineMatch(.privilege, severity, fields: fields)
    }

    /// `name=bob, UID=1001, GID=1001, home=/home/bob` as a dictionary.
    private static func pairs(_ text: Substring) -> [Substring: Substring] {
        var values = [Substring: Substring](minimumCapacity: 8)
        var rest = text
        while !rest.isEmpty {
            let part = rest.prefix(upToByte: UInt8(ascii: ","))
            rest = part.endIndex < rest.endIndex ? rest[rest.utf8.index(after: part.endIndex)...] : rest[rest.endIndex...]
            let trimmed = part.dropping(leading: UInt8(ascii: " "))
            guard let equals = trimmed.firstIndex(ofByte: UInt8(ascii: "=")) else { continue }
            values[trimmed[..<equals]] = trimmed[trimmed.utf8.index(after: equals)...]
        }
        return values
    }

    private static func unquote(_ text: Substring) -> Substring {
        var value = text.trimmingCharacters(where: \.isWhitespace)[...]
        if value.hasSuffix(".") { value = value.dropLast() }
        if value.count >= 2, value.first == "'" || value.first == "\"", value.last == value.first { value = value.dropFirst().dropLast() }
        return Substring(value)
    }

    private static func isAdmin(_ group: Substring) -> Bool { adminGroups.contains(String(group)) }
}
