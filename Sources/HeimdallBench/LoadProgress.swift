import NIOCore
import Synchronization

/// What the sessions of a load run share with the runner: how many were welcomed, and from
/// when on the run is in its steady state (every session welcomed), so ack latency and hub
/// CPU can be reported without the ramp-up's handshakes. Thread-safe.
final class LoadProgress: Sendable {
    private let welcomedCount = Atomic<Int>(0)
    private let ackCount = Atomic<Int>(0)
    /// `NIODeadline.uptimeNanoseconds` of the steady state's start; 0 before it.
    private let steadyNanoseconds = Atomic<UInt64>(0)

    /// Sessions welcomed so far.
    var welcomed: Int { welcomedCount.load(ordering: .relaxed) }

    /// Acks received so far, by all sessions.
    var acks: Int { ackCount.load(ordering: .relaxed) }

    /// A session received an ack.
    func ackReceived() {
        ackCount.add(1, ordering: .relaxed)
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
