#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a secure file operation failed. Compare by `code`.
public struct SecureFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable reason codes.
    public enum Code: String, Hashable, Sendable {
        /// The destination exists and overwriting was not allowed.
        case alreadyExists
        /// A system call failed; see `errno`.
        case io
        /// The path could not be examined (missing file, permissions).
        case statFailed
    }

    /// The stable reason.
    public let code: Code
    /// The path involved.
    public let path: String
    /// The `errno` value, when a system call failed.
    public let errno: Int32

    /// Creates an error. Any thread may call it.
    public init(code: Code, path: String, errno: Int32 = 0) {
        self.code = code
        self.path = path
        self.errno = errno
    }

    /// One sentence describing the failure.
    public var description: String {
        switch code {
        case .alreadyExists:
            return "Refusing to overwrite existing file \(path)."
        case .io:
            return "Writing \(path) failed: \(String(cString: strerror(errno)))."
        case .statFailed:
            return "Cannot examine \(path): \(String(cString: strerror(errno)))."
        }
    }
}

/// Files that hold secrets: written atomically with mode 0600, checked for loose modes.
/// Blocking file I/O: call from any thread except an event loop.
public enum SecureFile {
    /// Writes `bytes` to `path` with mode 0600 through ``AtomicFile`` (temporary file,
    /// fsync, rename, fsync of the directory). When `overwrite` is false an existing `path`
    /// is refused with `.alreadyExists`, atomically (link(2)), so a racing writer loses.
    public static func write(_ bytes: [UInt8], to path: String, overwrite: Bool = true) throws(SecureFileError) {
        do {
            try AtomicFile.write(bytes, to: path, mode: 0o600, overwrite: overwrite)
        } catch {
            throw SecureFileError(code: error.code == .alreadyExists ? .alreadyExists : .io, path: error.path, errno: error.errno)
        }
    }

    /// Writes UTF-8 `text` like ``write(_:to:overwrite:)``.
    public static func write(text: String, to path: String, overwrite: Bool = true) throws(SecureFileError) {
        try write(Array(text.utf8), to: path, overwrite: overwrite)
    }

    /// True when the group or others have any permission bit on `path` (e.g. mode 0640
    /// or 0644). Private keys with such modes are refused.
    public static func isGroupOrWorldAccessible(_ path: String) throws(SecureFileError) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw SecureFileError(code: .statFailed, path: path, errno: errno)
        }
        return info.st_mode & 0o077 != 0
    }
}
