#if canImport(Glibc)
import Glibc
#endif

/// Why a child process could not be started.
public struct ChildProcessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable error code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable name of the code, e.g. `not_found`.
        public let rawValue: String
        /// The command is not an executable file, or not in `PATH`.
        public static let notFound = Code(rawValue: "not_found")
        /// `posix_spawn` (or creating the output pipe) failed.
        public static let spawnFailed = Code(rawValue: "spawn_failed")
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// The command as given.
    public var command: String
    /// The `errno` value reported by the system.
    public var errno: Int32

    /// Creates an error; any thread may call it.
    public init(_ code: Code, command: String, errno: Int32) {
        self.code = code
        self.command = command
        self.errno = errno
    }

    /// One sentence naming the command and the system's reason.
    public var description: String {
        let reason = String(cString: strerror(errno))
        switch code {
        case .notFound: return "Cannot run \(command): no executable found (\(reason))."
        default: return "Cannot start \(command): \(reason)."
        }
    }
}
