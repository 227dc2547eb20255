#if canImport(Glibc)
import Glibc
#endif

/// IP address recognition for parsed fields. Pure: any thread may call it.
enum IPAddress {
    /// True when `text` is a valid IPv4 or IPv6 address (IPv6 may carry a `%zone`).
    static func isValid(_ text: Substring) -> Bool {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= 64 || text.count <= 64 else { return false }
        // What `split(separator: "%").first` gives: leading `%`s skipped, up to the next one.
        let address = text.dropping(leading: UInt8(ascii: "%")).prefix(upToByte: UInt8(ascii: "%")).utf8
        guard !address.isEmpty, address.count <= 64 else { return false }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 65) { buffer in
            var end = 0
            for byte in address {
                buffer[end] = CChar(bitPattern: byte)
                end += 1
            }
            buffer[end] = 0
            var storage = in6_addr()
            if inet_pton(AF_INET, buffer.baseAddress, &storage) == 1 { return true }
            return inet_pton(AF_INET6, buffer.baseAddress, &storage) == 1
        }
    }
}
