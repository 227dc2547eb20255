/// Why an inventory operation was refused. Compare by `code`.
public struct InventoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable reason codes.
    public enum Code: String, Sendable, Hashable {
        /// No certificate was ever recorded for the host.
        case unknownHost = "unknown_host"
        /// No certificate has this serial.
        case unknownSerial = "unknown_serial"
        /// The certificate (or every certificate of the host) is already revoked.
        case alreadyRevoked = "already_revoked"
        /// No pending enrollment token has this id.
        case unknownToken = "unknown_token"
        /// An argument is out of range or malformed (e.g. an enrollment address).
        case invalidArgument = "invalid_argument"
    }

    /// The stable reason.
    public var code: Code
    /// One sentence for the operator.
    public var message: String

    /// Creates an error. Any thread.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
