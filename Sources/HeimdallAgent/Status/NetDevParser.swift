/// Counters of one network interface from `/proc/net/dev`. Pure value; any thread.
public struct InterfaceCounters: Sendable, Hashable {
    public var name: String
    public var receivedBytes: UInt64
    public var receivedPackets: UInt64
    public var receiveErrors: UInt64
    public var receiveDrops: UInt64
    public var transmittedBytes: UInt64
    public var transmittedPackets: UInt64
    public var transmitErrors: UInt64
    public var transmitDrops: UInt64

    public init(
        name: String, receivedBytes: UInt64, receivedPackets: UInt64 = 0, receiveErrors: UInt64 = 0, receiveDrops: UInt64 = 0,
        transmittedBytes: UInt64, transmittedPackets: UInt64 = 0, transmitErrors: UInt64 = 0, transmitDrops: UInt64 = 0
    ) {
        self.name = name
        self.receivedBytes = receivedBytes
        self.receivedPackets = receivedPackets
        self.receiveErrors = receiveErrors
        self.receiveDrops = receiveDrops
        self.transmittedBytes = transmittedBytes
        self.transmittedPackets = transmittedPackets
        self.transmitErrors = transmitErrors
        self.transmitDrops = transmitDrops
    }
}

extension KernelText {
    /// Parses `/proc/net/dev`: the two header lines and malformed lines are skipped.
    /// The name ends at the last `:` (old kernels print no space between name and counters).
    public static func netDev(_ text: String) -> [InterfaceCounters] {
        text.split(separator: "\n").compactMap { line in
            guard let colon = line.lastIndex(of: ":") else { return nil }
            let name = line[..<colon].trimmingWhitespace()
            let numbers = line[line.index(after: colon)...].split(separator: " ", omittingEmptySubsequences: true).map { UInt64($0) }
            guard !name.isEmpty, numbers.count >= 16 else { return nil }
            let values = numbers.compactMap { $0 }
            guard values.count == numbers.count else { return nil }
            return InterfaceCounters(
                name: String(name), receivedBytes: values[0], receivedPackets: values[1], receiveErrors: values[2], receiveDrops: values[3],
                transmittedBytes: values[8], transmittedPackets: values[9], transmitErrors: values[10], transmitDrops: values[11]
            )
        }
    }
}
