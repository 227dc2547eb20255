#if canImport(Glibc)
import Glibc
#endif

/// What the tailer needs to know about a file: identity, size, kind.
struct FileStat: Hashable {
    var device: UInt64
    var inode: UInt64
    var size: UInt64
    var isRegular: Bool

    init(device: UInt64, inode: UInt64, size: UInt64, isRegular: Bool = true) {
        self.device = device
        self.inode = inode
        self.size = size
        self.isRegular = isRegular
    }

    init(_ raw: stat) {
        self.init(
            device: UInt64(raw.st_dev), inode: UInt64(raw.st_ino), size: UInt64(max(0, raw.st_size)),
            isRegular: (raw.st_mode & S_IFMT) == S_IFREG
        )
    }

    /// True when `identity` names this file's inode.
    func matches(_ identity: FileIdentity) -> Bool { device == identity.device && inode == identity.inode }

    /// Result of `stat(2)` on a path: the file, or `errno`.
    static func of(path: String) -> Result<FileStat, TailError> {
        var raw = stat()
        guard stat(path, &raw) == 0 else { return .failure(TailError(code: .stat, path: path, errno: errno)) }
        return .success(FileStat(raw))
    }

    /// Result of `fstat(2)` on a descriptor.
    static func of(descriptor: Int32, path: String) -> Result<FileStat, TailError> {
        var raw = stat()
        guard fstat(descriptor, &raw) == 0 else { return .failure(TailError(code: .stat, path: path, errno: errno)) }
        return .success(FileStat(raw))
    }
}

/// Rotated siblings of a log path: files in the same directory named `<name>.<suffix>` or
/// `<name>-<suffix>` (`auth.log.1`, `auth.log-20261120`).
enum RotatedSiblings {
    /// Sibling paths of `path`, sorted by name (compressed ones are left out: they cannot be tailed).
    static func of(_ path: String) -> [String] {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let dir = opendir(directory.isEmpty ? "/" : directory) else { return [] }
        defer { closedir(dir) }
        var found: [String] = []
        while let entry = readdir(dir) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
                String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            }
            if isSibling(entryName, of: name) { found.append("\(directory)/\(entryName)") }
        }
        return found.sorted()
    }

    /// Pure name test: `auth.log.1` and `auth.log-20261120` are siblings of `auth.log`; `.gz`,
    /// `.xz`, `.bz2`, `.zst` are not (compressed).
    static func isSibling(_ candidate: String, of name: String) -> Bool {
        guard candidate.count > name.count, candidate.hasPrefix(name) else { return false }
        let rest = candidate.dropFirst(name.count)
        guard let separator = rest.first, separator == "." || separator == "-" else { return false }
        return ![".gz", ".xz", ".bz2", ".zst", ".lz4"].contains { rest.hasSuffix($0) }
    }
}
