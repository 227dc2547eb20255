#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Recognizes OpenSSH `sshd` messages. Pure: any thread may call it.
enum SSHDMessages {
    /// The category, severity and fields for an sshd message, or `nil` when unrecognized.
    static func classify(_ message: String) -> LineMatch? {
        let text = Substring(message)
        if let rest = text.dropPrefix("Accepted ") {
            return credentials(rest).map { LineMatch(.auth, .info, outcome: .success, $0) }
        }
        if let rest = text.dropPrefix("Failed ") {
            return credentials(rest).map { LineMatch(.auth, .medium, outcome: .failure, $0) }
        }
        if let rest = text.dropPrefix("Invalid user ") {
            return userFrom(rest).map { LineMatch(.auth, .low, outcome: .failure, $0) }
        }
        if let rest = text.dropPrefix("User "), let because = rest.utf8Range(of: " not allowed because ") {
            return userFrom(rest[..<because.lowerBound]).map { LineMatch(.auth, .low, outcome: .failure, $0) }
        }
        if let rest = text.dropPrefix("error: maximum authentication attempts exceeded for ") {
            return userFrom(rest.dropPrefix("invalid user ") ?? rest).map { LineMatch(.auth, .high, outcome: .failure, $0) }
        }
        for prefix in ["Connection closed by ", "Disconnected from ", "Received disconnect from "] {
            if let rest = text.dropPrefix(prefix) {
                return userEndpoint(rest).map { LineMatch(.auth, .info, outcome: nil, $0) }
            }
        }
        if let rest = text.dropPrefix("Disconnecting "), rest.contains("Too many authentication failures") {
            return userEndpoint(rest).map { LineMatch(.auth, .high, outcome: .failure, $0) }
        }
        return nil
    }

    /// `METHOD for [invalid user ]USER from IP port N ...`.
    private static func credentials(_ rest: Substring) -> AuthFields? {
        guard let forRange = rest.utf8Range(of: " for ") else { return nil }
        let method = rest[..<forRange.lowerBound]
        let afterFor = rest[forRange.upperBound...]
        guard var fields = userFrom(afterFor.dropPrefix("invalid user ") ?? afterFor) else { return nil }
        fields.method = String(method)
        return fields
    }

    /// `USER from IP[ port N] ...` (the last ` from ` splits, so odd user names survive).
    private static func userFrom(_ rest: Substring) -> AuthFields? {
        guard let fromRange = rest.utf8Range(of: " from ", backwards: true) else { return nil }
        guard let endpoint = Endpoint.parse(rest[fromRange.upperBound...]) else { return nil }
        return AuthFields(user: String(rest[..<fromRange.lowerBound]), endpoint: endpoint)
    }

    /// `[authenticating user |invalid user |user ]USER IP port N ...` or `IP port N ...`.
    private static func userEndpoint(_ rest: Substring) -> AuthFields? {
        let tokens = rest.utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard let portIndex = tokens.indices.dropFirst().first(where: {
                  tokens[$0].elementsEqual("port".utf8) && IPAddress.isValid(Substring(tokens[$0 - 1]))
              }),
              let endpoint = Endpoint.parse(rest[tokens[portIndex - 1].startIndex...])
        else { return nil }
        var userTokens = tokens[..<(portIndex - 1)]
        let markers: [[String]] = [["authenticating", "user"], ["invalid", "user"], ["user"]]
        for marker in markers where userTokens.starts(with: marker, by: { $0.elementsEqual($1.utf8) }) {
            userTokens = userTokens.dropFirst(marker.count)
            return AuthFields(user: joined(userTokens, in: rest), endpoint: endpoint)
        }
        return AuthFields(user: userTokens.isEmpty ? nil : joined(userTokens, in: rest), endpoint: endpoint)
    }

    /// Consecutive space-separated `tokens` of `text` joined by single spaces again: the text
    /// from the first one's start to the last one's end (empty for no tokens).
    private static func joined(_ tokens: ArraySlice<Substring.UTF8View>, in text: Substring) -> String {
        guard let first = tokens.first, let last = tokens.last else { return "" }
        return String(text[first.startIndex..<last.endIndex])
    }
}

/// `IP[ port N]...` at the start of a message tail.
struct Endpoint: Hashable {
    var ip: String
    var port: Int?

    static func parse(_ text: Substring) -> Endpoint? {
        var words = SpaceSeparated(text)
        guard let first = words.next() else { return nil }
        let ip = first.utf8.last == UInt8(ascii: ":") ? first[..<first.utf8.index(before: first.endIndex)] : first
        guard IPAddress.isValid(ip) else { return nil }
        var port: Int?
        if let keyword = words.next(), keyword == "port", let number = words.next() { port = number.leadingInteger }
        return Endpoint(ip: String(ip), port: port)
    }
}

/// Fields extracted from an authentication message.
struct AuthFields: Hashable {
    var user: String?
    var endpoint: Endpoint?
    var method: String?

    init(user: String?, endpoint: Endpoint?, method: String? = nil) {
        self.user = user
        self.endpoint = endpoint
        self.method = method
    }
}
