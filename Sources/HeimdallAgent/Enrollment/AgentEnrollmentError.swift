/// Why `heimdall-agent enroll` failed. Compare by `code`: the hub's protocol error codes
/// (`invalid_token`, `token_used`, `token_expired`, `csr_invalid`, `name_mismatch`,
/// `rate_limited`, ...) or one of the agent's own below.
public struct AgentEnrollmentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The hub could not be reached or the connection broke.
    public static let connection = "connection"
    /// The hub's TLS chain does not end at the CA pinned by the token (or TLS failed).
    public static let untrustedHub = "untrusted_hub"
    /// The hub's answer is not a valid `enrolled` for this token.
    public static let invalidReply = "invalid_reply"
    /// The state directory could not be written.
    public static let io = "io"

    /// The stable code.
    public var code: String
    /// One sentence for the operator.
    public var message: String

    /// Creates an error. Any thread.
    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}
