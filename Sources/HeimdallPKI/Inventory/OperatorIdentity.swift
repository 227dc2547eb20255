import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Who runs a PKI operation, for the audit log. Any thread.
public enum OperatorIdentity {
    /// The effective user's login name (from the password database), else `$USER`, else
    /// `uid:N`.
    public static var current: String {
        let uid = geteuid()
        if let entry = getpwuid(uid), let name = entry.pointee.pw_name {
            let text = String(cString: name)
            if !text.isEmpty { return text }
        }
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        return "uid:\(uid)"
    }
}
