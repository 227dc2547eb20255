#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why ``AtomicFile/write(_:to:mode:)`` failed: a stable code, the path involved and `errno`.
public struct AtomicFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable identifiers of the step that failed.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's stable name.
        public var rawValue: String
        /// Wraps a raw code name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The temporary file could not be created.
        public static let createTemporary = Code(rawValue: "create_temporary")
        /// Writing the content failed.
        public static let write = Code(rawValue: "write")
        /// Setting the file mode failed.
        public static let setMode = Code(rawValue: "set_mode")
        /// `fsync` of the temporary file failed.
        public static let syncFile = Code(rawValue: "sync_file")
        /// Renaming the temporary file over the target failed.
        public static let rename = Code(rawValue: "rename")
        /// Opening or `fsync`-ing the containing directory failed.
        public static let syncDirectory = Code(rawValue: "sync_directory")
        /// The target exists and overwriting was not allowed.
        public static let alreadyExists = Code(rawValue: "already_exists")
        /// The code's stable name.
        public var description: String { rawValue }
    }

    /// The step that failed.
    public var code: Code
    /// The file or directory the failing call was about.
    public var path: String
    /// The `errno` the system call reported.
    public var errno: Int32

    /// Builds an error value.
    public init(code: Code, path: String, errno: Int32) {
        self.code = code
        self.path = path
        self.errno = errno
    }

    /// A one-line explanation, e.g. `atomic write failed (rename) for /x: No such file or directory`.
    public var description: String {
        "atomic write failed (\(code)) for \(path): \(String(cString: strerror(errno)))"
    }
}

/// Replaces a file's whole content atomically and durably.
///
/// The content goes to a temporary file in the same directory, which is `fsync`ed and then
/// renamed over the target; finally the directory itself is `fsync`ed so the rename survives
/// a crash. Readers see either the old content or the new one, never a mix. Stateless and
/// reentrant: any thread may call it, but concurrent writers of the *same* path race (the
/// last rename wins).
public enum AtomicFile {
    /// Atomically replaces the content of `path` with `bytes`, giving the file `mode`
    /// (applied exactly, regardless of the umask). With `overwrite` false an existing
    /// `path` is refused with ``AtomicFileError/Code/alreadyExists`` — decided by link(2),
    /// so of two racing writers exactly one wins.
    ///
    /// - Throws: ``AtomicFileError``; on failure the target is untouched and the temporary
    ///   file is removed.
    public static func write<Bytes: Collection>(
        _ bytes: Bytes, to path: String, mode: mode_t = 0o600, overwrite: Bool = true
    ) throws(AtomicFileError) where Bytes.Element == UInt8 {
        let directory = Self.directory(of: path)
        let temporary = temporaryPath(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw AtomicFileError(code: .createTemporary, path: temporary, errno: errno) }
        do throws(AtomicFileError) {
            defer { close(fd) }
            guard fchmod(fd, mode) == 0 else { throw AtomicFileError(code: .setMode, path: temporary, errno: errno) }
            try writeAll(Array(bytes), to: fd, path: temporary)
            guard fsync(fd) == 0 else { throw AtomicFileError(code: .syncFile, path: temporary, errno: errno) }
        } catch {
            unlink(temporary)
            throw error
        }
        try publish(temporary, at: path, overwrite: overwrite)
        try syncDirectory(directory)
    }

    /// `fsync`s a directory so that renames and creations inside it are durable.
    ///
    /// Any thread may call it.
    /// - Throws: ``AtomicFileError`` with code ``AtomicFileError/Code/syncDirectory``.
    public static func syncDirectory(_ directory: String) throws(AtomicFileError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw AtomicFileError(code: .syncDirectory, path: directory, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw AtomicFileError(code: .syncDirectory, path: directory, errno: errno) }
    }

    /// Moves the finished temporary file to `path`: rename(2) replaces, link(2) refuses.
    private static func publish(_ temporary: String, at path: String, overwrite: Bool) throws(AtomicFileError) {
        defer { unlink(temporary) }
        if overwrite {
            guard rename(temporary, path) == 0 else { throw AtomicFileError(code: .rename, path: path, errno: errno) }
        } else if link(temporary, path) != 0 {
            throw AtomicFileError(code: errno == EEXIST ? .alreadyExists : .rename, path: path, errno: errno)
        }
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(AtomicFileError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(fd, base + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw AtomicFileError(code: .write, path: path, errno: errno)
            }
            written += result
        }
    }

    /// The directory holding `path`: `.` for a bare name, `/` for an entry of the root.
    /// Pure: any thread.
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = path[..<slash]
        return directory.isEmpty ? "/" : String(directory)
    }

    private static func temporaryPath(for path: String) -> String {
        let directory = Self.directory(of: path)
        let name = path.split(separator: "/").last.map(String.init) ?? "file"
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return "\(directory)/.\(name).tmp-\(getpid())-\(suffix)"
    }
}
