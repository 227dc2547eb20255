import Synchronization

/// The hub's live sessions: at most one per host (a newer session supersedes the older).
/// Thread-safe: any thread may call it.
public final class SessionRegistry: Sendable {
    private let sessions = Mutex<[String: SessionHandle]>([:])

    public init() {}

    /// Makes `handle` its host's live session and returns the session it replaces, which the
    /// caller terminates with `superseded`.
    public func register(_ handle: SessionHandle) -> SessionHandle? {
        sessions.withLock { sessions in
            let previous = sessions[handle.host]
            sessions[handle.host] = handle
            return previous
        }
    }

    /// Removes `handle` if it is still its host's live session; returns whether it was.
    @discardableResult
    public func unregister(_ handle: SessionHandle) -> Bool {
        sessions.withLock { sessions in
            guard sessions[handle.host] === handle else { return false }
            sessions.removeValue(forKey: handle.host)
            return true
        }
    }

    /// The live session of `host`, if any.
    public func session(for host: String) -> SessionHandle? {
        sessions.withLock { $0[host] }
    }

    /// Every live session.
    public var all: [SessionHandle] {
        sessions.withLock { Array($0.values) }
    }

    /// The live sessions delivering with the certificate `serial`.
    public func sessions(usingSerial serial: String) -> [SessionHandle] {
        sessions.withLock { $0.values.filter { $0.certificateSerial == serial } }
    }
}
