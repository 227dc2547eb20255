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

    /// True when `serial` is revoked.
    public func contains(_ serial: String) -> Bool {
        let normalized = Self.normalize(serial)
        return serials.withLock { $0.contains(normalized) }
    }

    /// How many serials are revoked.
    public var count: Int {
        serials.withLock { $0.count }
    }

    private static func normalize(_ serial: String) -> String {
        String(serial.uppercased().filter { $0 != ":" })
    }
}
