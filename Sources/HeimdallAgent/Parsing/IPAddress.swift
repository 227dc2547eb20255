#if canImport(Glibc)
import Glibc
#endif

/// IP address recognition for parsed fields. Pure: any thread may call it.
enum IPAddress {
    /// True when `text` is a valid IPv4 or IPv6 address (IPv6 may carry a `%zone`).
    static func isValid(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.count <= 64 else { return false }
        var storage = in6_addr()
        let address = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? ""
        if inet_pton(AF_INET, address, &storage) == 1 { return true }
        return inet_pton(AF_INET6, address, &storage) == 1
    }
}
