import Synchronization

/// The serials (uppercase hex, as `PeerCertificate.serialNumber`) whose certificates are
/// refused during the handshake. Lock-protected: any thread may call every method.
public final class RevocationList: Sendable {
    private let serials: Mutex<Set<String>>

    /// Creates a list holding `serials` (normalized to uppercase, colons removed).
    public init(_ serials: some Sequence<String> = [String]()) {
        self.serials = Mutex(Set(serials.map(Self.normalize)))
    }

    /// Adds one serial.
    public func insert(_ serial: String) {
        let normalized = Self.normalize(serial)
        serials.withLock { _ = $0.insert(normalized) }
    }

    /// Replaces the whole list (e.g. after reloading it from the database).
    public func replaceAll(_ newSerials: some Sequence<String>) {
        let normalized = Set(newSerials.map(Self.normalize))
        serials.withLock { $0 = normalized }
    }

    /// True when `serial` is revoked. Called for every data frame: an empty list answers
    /// at once, and a serial already in normal form is not copied.
    public func contains(_ serial: String) -> Bool {
        serials.withLock { revoked in
            guard !revoked.isEmpty else { return false }
            return revoked.contains(Self.normalize(serial))
        }
    }

    /// How many serials are revoked.
    public var count: Int {
        serials.withLock { $0.count }
    }

    private static func normalize(_ serial: String) -> String {
        let normal = serial.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) }
        return normal ? serial : String(serial.uppercased().filter { $0 != ":" })
    }
}
