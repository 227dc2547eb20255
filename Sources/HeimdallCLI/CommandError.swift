/// An operational failure described by the command itself (exit status 1). Any thread.
public struct CommandError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One sentence for the operator.
    public var message: String

    /// Creates the error. Any thread.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
