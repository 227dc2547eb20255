import HeimdallTLS

/// Host-name rules for certificates. Pure functions: any thread.
public enum HostName {
    /// Validates a DNS host name (1–253 characters; labels of 1–63 `[A-Za-z0-9-]` not
    /// starting or ending with `-`) and returns it in lowercase.
    public static func normalize(_ name: String) throws(PKIError) -> String {
        let lower = name.lowercased()
        let bytes = Array(lower.utf8)
        guard (1 ... 253).contains(bytes.count) else {
            throw PKIError(code: .invalidName, message: "host name must be 1 to 253 characters: \"\(name)\"")
        }
        for label in lower.split(separator: ".", omittingEmptySubsequences: false) {
            guard isValidLabel(Array(label.utf8)) else {
                throw PKIError(
                    code: .invalidName,
                    message: "invalid host name \"\(name)\": labels are 1 to 63 letters, digits or '-', not starting or ending with '-'"
                )
            }
        }
        return lower
    }

    /// True when `text` parses as an IPv4 or IPv6 address.
    public static func isIPAddress(_ text: String) -> Bool {
        IPAddressText.isIPAddress(text)
    }

    private static func isValidLabel(_ label: [UInt8]) -> Bool {
        guard (1 ... 63).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else {
            return false
        }
        return label.allSatisfy { byte in
            (UInt8(ascii: "a") ... UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }
}
