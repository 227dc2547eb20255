internal import CHeimdallOpenSSL
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One key that encrypts and authenticates TLS 1.3 session tickets: a 16-byte name (sent in
/// clear inside each ticket, so the server finds the key again), a 32-byte AES-256-CBC key
/// and a 32-byte HMAC-SHA256 key. An immutable value; secret: never log it.
public struct SessionTicketKey: Hashable, Sendable {
    /// Bytes of ``material``.
    public static let length = 80

    /// Name, AES key and HMAC key, in that order.
    public let material: [UInt8]
    /// When the key was made; it encrypts for one rotation interval from then.
    public let createdAt: Date

    /// Wraps existing key material (e.g. read from the hub's key file); nil unless it is
    /// exactly ``length`` bytes.
    public init?(material: [UInt8], createdAt: Date) {
        guard material.count == Self.length else { return nil }
        self.material = material
        self.createdAt = createdAt
    }

    /// A fresh key from OpenSSL's random generator, or nil when it fails. Any thread.
    public static func generate(now: Date) -> SessionTicketKey? {
        var bytes = [UInt8](repeating: 0, count: length)
        let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) == 1 }
        return ok ? SessionTicketKey(material: bytes, createdAt: now) : nil
    }
}

/// The ticket keys a hub holds, newest first: the newest encrypts new tickets, every key
/// still listed decrypts. A plain value; rotation is a pure function of the clock.
public struct SessionTicketKeyring: Hashable, Sendable {
    /// Newest first.
    public let keys: [SessionTicketKey]

    /// A keyring holding `keys` (sorted newest first here).
    public init(keys: [SessionTicketKey]) {
        self.keys = keys.sorted { $0.createdAt > $1.createdAt }
    }

    /// The keyring at `now`: a new encrypting key when the newest is `rotation` old (or
    /// there is none, or the newest lies in the future), and without the keys whose last
    /// ticket has expired (older than `rotation + lifetime`). Nil when no random key can
    /// be made.
    public func rotated(now: Date, rotation: TimeInterval, lifetime: TimeInterval) -> SessionTicketKeyring? {
        var kept = keys.filter { now.timeIntervalSince($0.createdAt) < rotation + lifetime && $0.createdAt <= now }
        if kept.first.map({ now.timeIntervalSince($0.createdAt) >= rotation }) ?? true {
            guard let fresh = SessionTicketKey.generate(now: now) else { return nil }
            kept.insert(fresh, at: 0)
        }
        return SessionTicketKeyring(keys: Array(kept.prefix(Int(HEIMDALL_MAX_TICKET_KEYS))))
    }
}
