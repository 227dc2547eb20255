#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Recognizes `su` (shadow-utils and util-linux wordings) and `login` messages.
/// Pure: any thread may call it.
enum SuLoginMessages {
    /// `Successful su for root by alice`, `FAILED SU (to root) alice on pts/0`,
    /// `(to root) alice on pts/0`, `+ pts/0 alice:root` / `- pts/0 alice:root` (BSD style).
    static func su(_ message: String) -> LineMatch? {
        let text = Substring(message)
        if let rest = text.dropPrefix("Successful su for "), let by = rest.utf8Range(of: " by ") {
            return privilege(.success, user: rest[by.upperBound...], target: rest[..<by.lowerBound])
        }
        if let rest = text.dropPrefix("FAILED SU ") ?? text.dropPrefix("FAILED su ") {
            guard let (target, user) = toTargetBy(rest) else { return nil }
            return privilege(.failure, user: user, target: target)
        }
        if text.hasUTF8Prefix("(to "), let (target, user) = toTargetBy(text) {
            return privilege(.success, user: user, target: target)
        }
        if text.hasPrefix("+ ") || text.hasPrefix("- ") {
            let parts = text.split(separator: " ")
            guard parts.count == 3, let colon = parts[2].firstIndex(of: ":") else { return nil }
            return privilege(text.hasPrefix("+") ? .success : .failure, user: parts[2][..<colon], target: parts[2][parts[2].index(after: colon)...])
        }
        return nil
    }

    /// `FAILED LOGIN (1) on '/dev/tty1' FOR 'bob', Authentication failure`,
    /// `FAILED LOGIN 1 FROM 203.0.113.9 FOR bob, Authentication failure`,
    /// `ROOT LOGIN  on '/dev/tty1'`, `LOGIN ON tty1 BY bob`.
    static func login(_ message: String) -> LineMatch? {
        let text = Substring(message)
        if text.hasPrefix("FAILED LOGIN") {
            var fields: [String: JSONValue] = ["outcome": .string(Outcome.failure.rawValue)]
            if let forRange = text.utf8Range(of: " FOR ") {
                let user = text[forRange.upperBound...].prefix { $0 != "," }
                fields.put("user", user.trimmingCharacters(where: { $0 == "'" }))
            }
            if let from = text.utf8Range(of: " FROM ") {
                fields.put("src_ip", ip: text[from.upperBound...].prefix { $0 != " " })
            }
            fields.put("tty", quoted(after: " on ", in: text))
            return LineMatch(.auth, .medium, fields: fields)
        }
        if text.hasPrefix("ROOT LOGIN") {
            var fields: [String: JSONValue] = ["outcome": .string(Outcome.success.rawValue), "user": .string("root")]
            fields.put("tty", quoted(after: " on ", in: text))
            if let from = text.utf8Range(of: " FROM ") { fields.put("src_ip", ip: text[from.upperBound...].prefix { $0 != " " }) }
            return LineMatch(.auth, .low, fields: fields)
        }
        if let rest = text.dropPrefix("LOGIN ON "), let by = rest.utf8Range(of: " BY ") {
            var fields: [String: JSONValue] = ["outcome": .string(Outcome.success.rawValue)]
            fields.put("tty", rest[..<by.lowerBound])
            fields.put("user", rest[by.upperBound...].prefix { $0 != " " })
            return LineMatch(.auth, .info, fields: fields)
        }
        return nil
    }

    /// `(to TARGET) USER on TTY`.
    private static func toTargetBy(_ text: Substring) -> (Substring, Substring)? {
        guard let rest = text.dropPrefix("(to "), let close = rest.firstIndex(ofByte: UInt8(ascii: ")")) else { return nil }
        let target = rest[..<close]
        let user = rest[rest.utf8.index(after: close)...].dropping(leading: UInt8(ascii: " ")).prefix(upToByte: UInt8(ascii: " "))
        guard !target.isEmpty, !user.isEmpty else { return nil }
        return (target, user)
    }

    /// The text between quotes after `marker` (`on '/dev/tty1'` → `/dev/tty1`).
    private static func quoted(after marker: String, in text: Substring) -> Substring? {
        guard let range = text.utf8Range(of: marker) else { return nil }
        let rest = text[range.upperBound...].drop { $0 == " " }
        guard rest.first == "'" else { return rest.prefix { $0 != " " && $0 != "," } }
        return rest.dropFirst().prefix { $0 != "'" }
    }

    private static func privilege(_ outcome: Outcome, user: Substring, target: Substring) -> LineMatch {
        var fields: [String: JSONValue] = ["outcome": .string(outcome.rawValue)]
        fields.put("user", user)
        fields.put("target_user", target)
        return LineMatch(.privilege, outcome == .success ? .low : .medium, fields: fields)
    }
}
