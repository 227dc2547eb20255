internal import CHeimdallOpenSSL
import Synchronization

/// The last TLS session (the ticket the server sent) per server address, kept in memory so
/// the next connection can offer it and resume instead of running a full handshake.
/// Lock-protected: any thread may call every method.
public final class TLSSessionCache: Sendable {
    private let sessions = Mutex<[String: StoredSession]>([:])

    /// An empty cache.
    public init() {}

    /// How many addresses have a session.
    public var count: Int { sessions.withLock { $0.count } }

    /// Forgets the session kept for `key`.
    public func remove(_ key: String) {
        _ = sessions.withLock { $0.removeValue(forKey: key) }
    }

    /// Forgets every session (e.g. after the client certificate was renewed: a resumed
    /// session would still carry the old one).
    public func removeAll() {
        sessions.withLock { $0.removeAll() }
    }

    func session(for key: String) -> StoredSession? {
        sessions.withLock { $0[key] }
    }

    func store(_ session: StoredSession, for key: String) {
        sessions.withLock { $0[key] = session }
    }
}

/// Where a client connection takes the session it offers and puts the one it receives.
public struct TLSResumption: Sendable {
    /// The cache shared by the connections of one client identity.
    public let cache: TLSSessionCache
    /// The server's address, e.g. "hub.example.net:7443".
    public let key: String

    /// Offers and keeps sessions for `key` in `cache`.
    public init(cache: TLSSessionCache, key: String) {
        self.cache = cache
        self.key = key
    }
}

/// One reference to an `SSL_SESSION*`, released when the last Swift owner goes.
final class StoredSession: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        SSL_SESSION_free(pointer)
    }
}

/// A client connection's link to its ``TLSResumption``, reachable from OpenSSL's
/// new-session callback through the `SSL*`'s ex_data. Owned by the ``TLSConnection``.
final class ResumptionSlot {
    let resumption: TLSResumption

    init(_ resumption: TLSResumption) {
        self.resumption = resumption
    }
}

/// Runs on the connection's thread when a NewSessionTicket arrived: keeps a copy of the
/// session for the connection's address. A copy, because OpenSSL marks the connection's own
/// session not resumable when the connection ends without close_notify (a hub killed or
/// restarted), which is exactly when the agent wants to resume; a TLS 1.3 ticket stays
/// sound after an unclean close. Returns 0: OpenSSL keeps and frees its own reference.
let clientNewSessionCallback: @convention(c) (OpaquePointer?, OpaquePointer?) -> Int32 = { ssl, session in
    guard let ssl, let session, SSL_SESSION_is_resumable(session) == 1,
          let raw = SSL_get_ex_data(ssl, heimdall_SSL_ex_data_index()),
          let copy = SSL_SESSION_dup(session)
    else { return 0 }
    let slot = Unmanaged<ResumptionSlot>.fromOpaque(raw).takeUnretainedValue()
    slot.resumption.cache.store(StoredSession(taking: copy), for: slot.resumption.key)
    return 0
}
