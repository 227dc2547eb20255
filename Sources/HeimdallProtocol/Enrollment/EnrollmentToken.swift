#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A one-time enrollment token (protocol.md, Enrollment): everything an agent needs to
/// enroll, in one opaque string `hdm1.<base64url of a JSON object>`.
///
/// It carries the enrollment listener's address, the SHA-256 fingerprint of the CA the
/// agent must pin, the host name the token is bound to, the token's id and a 32-byte
/// random secret. The hub keeps only the SHA-256 of the secret, so a database dump cannot
/// be turned back into tokens. Pure value: any thread.
public struct EnrollmentToken: Sendable, Hashable {
    /// The text every token starts with (format version 1).
    public static let prefix = "hdm1."
    /// Length of the secret in bytes.
    public static let secretLength = 32

    /// The enrollment listener as agents reach it, `ADDR:PORT`.
    public var address: String
    /// Lowercase hex SHA-256 of the CA certificate's DER (64 characters).
    public var caFingerprint: String
    /// The host name the token is bound to (the CSR's CN must equal it).
    public var host: String
    /// The token's public id (32 lowercase hex characters), as listed by `heimdall-pki tokens`.
    public var id: String
    /// The 32 secret bytes.
    public var secret: [UInt8]

    /// Creates a token from its parts (no validation: ``decode(_:)`` validates).
    public init(address: String, caFingerprint: String, host: String, id: String, secret: [UInt8]) {
        self.address = address
        self.caFingerprint = caFingerprint
        self.host = host
        self.id = id
        self.secret = secret
    }

    /// A new token with a random id and secret (from the system's CSPRNG).
    public static func generate(address: String, caFingerprint: String, host: String) -> EnrollmentToken {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secret = (0..<secretLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return EnrollmentToken(
            address: address, caFingerprint: caFingerprint.lowercased().filter { $0 != ":" }, host: host,
            id: Hex.encode(id), secret: secret
        )
    }

    /// The opaque string handed to the operator.
    public var encoded: String {
        let object: JSONValue = .object([
            "a": .string(address), "f": .string(caFingerprint), "h": .string(host), "i": .string(id),
            "s": .string(Base64URL.encode(secret)),
        ])
        return Self.prefix + Base64URL.encode(JSONWriter.bytes(object))
    }

    /// Parses and checks a token string; throws `invalid_token` for anything malformed
    /// (wrong prefix, truncated, bad encoding, missing or ill-formed members).
    public static func decode(_ text: String) throws(ProtocolError) -> EnrollmentToken {
        let trimmed = text.trimmingCharacters(where: \.isWhitespace)
        guard trimmed.hasPrefix(prefix), trimmed.utf8.count <= 2048 else {
            throw ProtocolError(.invalidToken, "not a Heimdall enrollment token (expected \(prefix)...)")
        }
        guard let bytes = Base64URL.decode(String(trimmed.dropFirst(prefix.count))),
              let value = try? JSONParser.parse(bytes), let members = value.objectValue
        else {
            throw ProtocolError(.invalidToken, "the token is damaged or truncated")
        }
        guard let address = members["a"]?.stringValue, Self.isAddress(address),
              let fingerprint = members["f"]?.stringValue, Hex.isLowercaseHex(fingerprint, length: 64),
              let host = members["h"]?.stringValue, !host.isEmpty, host.utf8.count <= 253,
              let id = members["i"]?.stringValue, Hex.isLowercaseHex(id, length: 32),
              let secretText = members["s"]?.stringValue, let secret = Base64URL.decode(secretText), secret.count == secretLength
        else {
            throw ProtocolError(.invalidToken, "the token is damaged or truncated")
        }
        return EnrollmentToken(address: address, caFingerprint: fingerprint, host: host, id: id, secret: secret)
    }

    /// The address split into host and port (brackets of an IPv6 literal removed).
    public var endpoint: (host: String, port: Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
              (1...65_535).contains(port)
        else { return nil }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        return (host, port)
    }

    private static func isAddress(_ text: String) -> Bool {
        EnrollmentToken(address: text, caFingerprint: "", host: "", id: "", secret: []).endpoint != nil
    }
}

/// Lowercase hex helpers. Pure: any thread.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func isLowercaseHex(_ text: String, length: Int) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

/// Base64url without padding (RFC 4648 §5). Pure: any thread.
public enum Base64URL {
    /// Encodes `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacing("+", with: "-").replacing("/", with: "_")
            .replacing("=", with: "")
    }

    /// Decodes `text`; nil when it is not base64url (padding optional).
    public static func decode(_ text: String) -> [UInt8]? {
        guard text.utf8.allSatisfy({ byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x5F
        }) else { return nil }
        var standard = text.replacing("-", with: "+").replacing("_", with: "/")
        guard standard.utf8.count % 4 != 1 else { return nil }
        while standard.utf8.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map(Array.init)
    }
}
