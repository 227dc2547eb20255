import NIOCore
import Synchronization

/// How many connections the session listener lets in at once (`hub.max_handshakes`,
/// `hub.max_sessions`).
public struct AdmissionLimits: Sendable, Hashable {
    /// TLS handshakes in progress at once; beyond it the listener stops accepting and new
    /// connections wait in the kernel's backlog until a handshake ends.
    public var maximumHandshakes: Int
    /// Open session connections; a connection beyond it completes its handshake, is sent
    /// `error rate_limited` (fatal) and is closed.
    public var maximumSessions: Int

    /// The default handshake cap per event loop. A handshake step costs its loop about a
    /// millisecond of CPU, and sessions on that loop wait behind the steps queued with their
    /// frames: 8 per loop kept the fleet shape's ack p99 at 26–34 ms through 1,000 handshakes
    /// where 64 on one loop gave 48–55 ms, and 10,000 resumptions still took 12 s, not 11
    /// (docs/PERFORMANCE.md). Each handshake holds its slot for about a network round trip,
    /// so hubs far from their agents may raise `hub.max_handshakes`.
    public static let handshakesPerEventLoop = 8

    /// ``handshakesPerEventLoop`` handshakes per event loop, 20,000 sessions.
    public static func `default`(eventLoops: Int) -> AdmissionLimits {
        AdmissionLimits(maximumHandshakes: handshakesPerEventLoop * max(1, eventLoops), maximumSessions: 20_000)
    }

    /// Caps handshakes in progress and open sessions (`HubConfiguration.validate` requires both to be at least 1).
    public init(maximumHandshakes: Int, maximumSessions: Int) {
        self.maximumHandshakes = maximumHandshakes
        self.maximumSessions = maximumSessions
    }
}

/// The session listener's counters: handshakes in progress (by connection) and open
/// sessions. When a handshake ends below the cap it wakes the listener, which resumes
/// accepting. Lock-protected: any thread.
final class AdmissionControl: Sendable {
    private struct State {
        var handshakes = Set<ObjectIdentifier>()
        var sessions = 0
        var acceptPaused = false
        var wake: (@Sendable () -> Void)?
    }

    let limits: AdmissionLimits
    private let state = Mutex(State())

    init(limits: AdmissionLimits) {
        self.limits = limits
    }

    /// Handshakes in progress.
    var handshakesInProgress: Int { state.withLock { $0.handshakes.count } }
    /// Sessions admitted and not yet closed.
    var openSessions: Int { state.withLock { $0.sessions } }

    /// Sets what resumes accepting (the listener's handler, on its event loop).
    func onCapacity(_ wake: @escaping @Sendable () -> Void) {
        state.withLock { $0.wake = wake }
    }

    /// A connection was accepted: its handshake counts until ``handshakeEnded(_:)``.
    func handshakeStarted(_ channel: any Channel) {
        _ = state.withLock { $0.handshakes.insert(ObjectIdentifier(channel)) }
    }

    /// The connection's handshake finished or the connection closed; repeated calls count
    /// once. Wakes the listener when accepting was paused and there is room again.
    func handshakeEnded(_ channel: any Channel) {
        let wake: (@Sendable () -> Void)? = state.withLock { state in
            guard state.handshakes.remove(ObjectIdentifier(channel)) != nil, state.acceptPaused,
                  state.handshakes.count < limits.maximumHandshakes
            else { return nil }
            state.acceptPaused = false
            return state.wake
        }
        wake?()
    }

    /// Whether the listener may accept now; when not, it is paused until a handshake ends.
    func mayAccept() -> Bool {
        state.withLock { state in
            state.acceptPaused = state.handshakes.count >= limits.maximumHandshakes
            return !state.acceptPaused
        }
    }

    /// Counts a new session when there is room; false means over `maximumSessions`.
    func admitSession() -> Bool {
        state.withLock { state in
            guard state.sessions < limits.maximumSessions else { return false }
            state.sessions += 1
            return true
        }
    }

    /// An admitted session's connection closed.
    func sessionEnded() {
        state.withLock { $0.sessions -= 1 }
    }
}
