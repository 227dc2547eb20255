/// The error codes of protocol.md, sent in `error` frames.
public enum ProtocolErrorCode: String, Sendable, Hashable, CaseIterable {
    case frameTooLarge = "frame_too_large"
    case invalidFrame = "invalid_frame"
    case unknownType = "unknown_type"
    case protocolViolation = "protocol_violation"
    case badSequence = "bad_sequence"
    case batchTooLarge = "batch_too_large"
    case unsupportedProtocol = "unsupported_protocol"
    case handshakeTimeout = "handshake_timeout"
    case idleTimeout = "idle_timeout"
    case superseded
    case certificateRevoked = "certificate_revoked"
    case rateLimited = "rate_limited"
    case shuttingDown = "shutting_down"
    case `internal`
    // Enrollment (protocol.md, Enrollment).
    case invalidToken = "invalid_token"
    case tokenExpired = "token_expired"
    case tokenUsed = "token_used"
    case csrInvalid = "csr_invalid"
    case nameMismatch = "name_mismatch"

    /// Whether the hub closes the connection after sending this code. Only `unknown_type`
    /// lets the session go on.
    public var isFatal: Bool { self != .unknownType }
}

/// A protocol failure decided by Heimdall: the code sent to the peer and a sentence for it.
public struct ProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: ProtocolErrorCode
    public var message: String

    public init(_ code: ProtocolErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
