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
    /// Writes `bytes` to `path` with mode 0600, atomically: a temporary file created with
    /// `O_EXCL` beside `path` is written, fsynced and renamed over `path` (then the directory
    /// is fsynced). When `overwrite` is false an existing `path` is refused with
    /// `.alreadyExists` (checked again atomically with link(2), so a racing writer loses).
    public static func write(_ bytes: [UInt8], to path: String, overwrite: Bool = true) throws(SecureFileError) {
        if !overwrite, access(path, F_OK) == 0 {
            throw SecureFileError(code: .alreadyExists, path: path)
        }
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SecureFileError(code: .io, path: temporary, errno: errno)
        }
        var failure: SecureFileError?
        if fchmod(fd, 0o600) != 0 {
            failure = SecureFileError(code: .io, path: temporary, errno: errno)
        }
        if failure == nil {
            failure = writeAll(fd: fd, bytes: bytes, path: temporary)
        }
        if failure == nil, fsync(fd) != 0 {
            failure = SecureFileError(code: .io, path: temporary, errno: errno)
        }
        if close(fd) != 0, failure == nil {
            failure = SecureFileError(code: .io, path: temporary, errno: errno)
        }
        if failure == nil {
            failure = publish(temporary: temporary, path: path, overwrite: overwrite)
        }
        if let failure {
            unlink(temporary)
            throw failure
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

    private static func writeAll(fd: Int32, bytes: [UInt8], path: String) -> SecureFileError? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Glibc.write(fd, raw.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return SecureFileError(code: .io, path: path, errno: errno)
            }
            offset += written
        }
        return nil
    }

    private static func publish(temporary: String, path: String, overwrite: Bool) -> SecureFileError? {
        if overwrite {
            guard rename(temporary, path) == 0 else {
                return SecureFileError(code: .io, path: path, errno: errno)
            }
            syncDirectory(of: path)
            return nil
        }
        // link(2) fails with EEXIST instead of replacing: no race with a concurrent writer.
        if link(temporary, path) != 0 {
            let code: SecureFileError.Code = errno == EEXIST ? .alreadyExists : .io
            return SecureFileError(code: code, path: path, errno: errno)
        }
        unlink(temporary)
        syncDirectory(of: path)
        return nil
    }

    private static func syncDirectory(of path: String) {
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
