/// A TLS failure as Heimdall decided it, with what OpenSSL said. Compare by `code`.
public struct TLSError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable reason codes. New codes may be added.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name.
        public let rawValue: String
        /// Wraps a raw code name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's stable name.
        public var description: String { rawValue }

        /// The handshake failed for a reason without a more specific code.
        public static let handshakeFailed = Code(rawValue: "handshake_failed")
        /// The handshake did not finish within the configured deadline.
        public static let handshakeTimeout = Code(rawValue: "handshake_timeout")
        /// A certificate was required and none was presented.
        public static let certificateRequired = Code(rawValue: "certificate_required")
        /// The peer's certificate (or ours, as judged by the peer) failed verification.
        public static let certificateVerifyFailed = Code(rawValue: "certificate_verify_failed")
        /// ALPN negotiation found no common protocol.
        public static let noApplicationProtocol = Code(rawValue: "no_application_protocol")
        /// No common TLS protocol version.
        public static let protocolVersion = Code(rawValue: "protocol_version")
        /// The configuration could not be applied (missing file, bad PEM, key mismatch).
        public static let invalidConfiguration = Code(rawValue: "invalid_configuration")
        /// A private key file is readable by group or others.
        public static let insecureKeyPermissions = Code(rawValue: "insecure_key_permissions")
        /// An I/O or internal OpenSSL failure.
        public static let io = Code(rawValue: "io")
        /// The connection closed before the TLS session did.
        public static let unexpectedEOF = Code(rawValue: "unexpected_eof")
    }

    /// The stable reason.
    public let code: Code
    /// A short explanation written by Heimdall.
    public let message: String
    /// OpenSSL's error stack (reason strings), oldest first; empty when OpenSSL said nothing.
    public let openSSLReasons: [String]
    /// The X.509 verification result text (e.g. "certificate has expired"), when there is one.
    public let verifyResult: String?

    /// Creates an error. Any thread may call it.
    public init(code: Code, message: String, openSSLReasons: [String] = [], verifyResult: String? = nil) {
        self.code = code
        self.message = message
        self.openSSLReasons = openSSLReasons
        self.verifyResult = verifyResult
    }

    /// One sentence: the code, the message, the verify result and OpenSSL's reasons.
    public var description: String {
        var text = "TLS error \(code.rawValue): \(message)"
        if let verifyResult {
            text += " (verify: \(verifyResult))"
        }
        if !openSSLReasons.isEmpty {
            text += " [OpenSSL: \(openSSLReasons.joined(separator: "; "))]"
        }
        return text + "."
    }
}
