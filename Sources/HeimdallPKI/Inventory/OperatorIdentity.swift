import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Who runs a PKI operation, for the audit log. Uses `getpwuid`, which is not
/// reentrant: call from one thread at a time (the CLI does).
public enum OperatorIdentity {
    /// The effective user's login name (from the password database), else `$USER`, else
    /// `uid:N`; with ` (sudo by NAME)` appended when `sudo` set `SUDO_USER`.
    public static var current: String {
        let name = effectiveUser
        if let sudoUser = ProcessInfo.processInfo.environment["SUDO_USER"], !sudoUser.isEmpty, sudoUser != name {
            return "\(name) (sudo by \(sudoUser))"
        }
        return name
    }

    private static var effectiveUser: String {
        let uid = geteuid()
        if let entry = getpwuid(uid), let name = entry.pointee.pw_name {
            let text = String(cString: name)
            if !text.isEmpty { return text }
        }
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        return "uid:\(uid)"
    }
}
