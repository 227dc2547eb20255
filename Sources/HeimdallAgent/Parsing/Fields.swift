import HeimdallProtocol

/// Setting event fields without empty values: log formats write `-`, `""` or nothing for
/// "unknown", and an absent field says that better. Pure: any thread may call it.
extension Dictionary where Key == String, Value == JSONValue {
    /// Sets `key` to `value` unless it is `nil`, empty or `-`.
    mutating func put(_ key: String, _ value: (some StringProtocol)?) {
        guard let value, !value.isEmpty, value != "-" else { return }
        self[key] = .string(String(value))
    }

    /// Sets `key` to the integer `value` unless it is `nil`.
    mutating func put(_ key: String, number value: Int?) {
        guard let value else { return }
        self[key] = .number(Double(value))
    }

    /// Sets `key` to `value` only when it is a valid IPv4 or IPv6 address.
    mutating func put(_ key: String, ip value: (some StringProtocol)?) {
        guard let value, IPAddress.isValid(Substring(value)) else { return }
        self[key] = .string(String(value))
    }
}
