#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Refuses private key files that the group or others may access. Blocking: not on an
/// event loop.
enum KeyFilePermissions {
    /// Throws `.insecureKeyPermissions` for modes such as 0640 or 0644, and
    /// `.invalidConfiguration` when the file cannot be examined.
    static func check(_ path: String) throws(TLSError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            throw TLSError(code: .invalidConfiguration, message: "cannot read private key \(path): \(reason)")
        }
        if info.st_mode & 0o077 != 0 {
            let mode = String(info.st_mode & 0o777, radix: 8)
            throw TLSError(
                code: .insecureKeyPermissions,
                message: "private key \(path) has mode \(mode); it must not be accessible by group or others (chmod 600)"
            )
        }
    }
}
