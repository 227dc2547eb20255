import NIOCore
import Synchronization

/// What the sessions of a load run share with the runner: how many were welcomed, and from
/// when on the run is in its steady state (every session welcomed), so ack latency and hub
/// CPU can be reported without the ramp-up's handshakes. Thread-safe.
final class LoadProgress: Sendable {
    private let welcomedCount = Atomic<Int>(0)
    private let pauseStart = Atomic<UInt64>(0)
    private let pauseEnd = Atomic<UInt64>(0)
    private let pauseViolations = Atomic<Int>(0)
    /// `NIODeadline.uptimeNanoseconds` of the steady state's start; 0 before it.
    private let steadyNanoseconds = Atomic<UInt64>(0)

    /// Sessions welcomed so far.
    var welcomed: Int { welcomedCount.load(ordering: .relaxed) }

    /// Acks received while the database was paused for frames sent after the pause began:
    /// such a frame cannot have been committed, so any is a broken promise.
    var acksWhilePaused: Int { pauseViolations.load(ordering: .relaxed) }

    /// The database pause began (its lock is held).
    func pauseBegins(at instant: NIODeadline) {
        pauseStart.store(max(1, instant.uptimeNanoseconds), ordering: .relaxed)
    }

    /// The database pause is about to end (called before the lock is released).
    func pauseEnds(at instant: NIODeadline) {
        pauseEnd.store(max(1, instant.uptimeNanoseconds), ordering: .relaxed)
    }

    /// A session received the ack of a frame sent at `sent`.
    func ackReceived(sentAt sent: NIODeadline, now: NIODeadline = .now()) {
        let start = pauseStart.load(ordering: .relaxed)
        guard start != 0, sent.uptimeNanoseconds >= start else { return }
        let end = pauseEnd.load(ordering: .relaxed)
        if end == 0 || now.uptimeNanoseconds < end { pauseViolations.add(1, ordering: .relaxed) }
    }

    /// A session was welcomed.
    func sessionWelcomed() {
        welcomedCount.add(1, ordering: .relaxed)
    }

    /// Marks the start of the steady state.
    func steadyStateBegins(at instant: NIODeadline) {
        steadyNanoseconds.store(max(1, instant.uptimeNanoseconds), ordering: .relaxed)
    }

    /// Whether a frame sent at `instant` belongs to the steady state.
    func isSteady(_ instant: NIODeadline) -> Bool {
        let start = steadyNanoseconds.load(ordering: .relaxed)
        return start != 0 && instant.uptimeNanoseconds >= start
    }
}
