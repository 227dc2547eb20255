#if canImport(Glibc)
import Glibc
#endif

/// Why a followed path is in error: a stable code, the path and `errno`.
///
/// A plain value: any thread may use it.
public struct TailError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable identifiers of what failed.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's stable name.
        public var rawValue: String
        /// Wraps a raw code name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// `stat` / `fstat` failed (other than the path not existing).
        public static let stat = Code(rawValue: "stat")
        /// `open` failed (e.g. permission denied).
        public static let open = Code(rawValue: "open")
        /// The path is not a regular file (a directory, a FIFO, ...).
        public static let notRegularFile = Code(rawValue: "not_regular_file")
        /// `read` failed.
        public static let read = Code(rawValue: "read")
        /// The code's stable name.
        public var description: String { rawValue }
    }

    /// What failed.
    public var code: Code
    /// The file concerned.
    public var path: String
    /// The `errno` reported, or 0 when not from a system call.
    public var errno: Int32

    /// Builds an error value.
    public init(code: Code, path: String, errno: Int32) {
        self.code = code
        self.path = path
        self.errno = errno
    }

    /// A one-line explanation.
    public var description: String {
        let reason = errno == 0 ? "" : ": \(String(cString: strerror(errno)))"
        return "cannot tail \(path) (\(code))\(reason)"
    }
}
