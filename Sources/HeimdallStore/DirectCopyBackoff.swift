import Synchronization

/// How ``EventWriter/Path/directCopy`` backs off after a conflict: the next transaction
/// goes through the staging table, and each further conflict doubles the number of
/// transactions that do (up to 64); a direct COPY that succeeds resets it.
///
/// Thread-safe: the hub's writers share one.
final class DirectCopyBackoff: Sendable {
    private struct State {
        var skips = 0
        var penalty = 1
    }

    static let longestPenalty = 64
    private let state = Mutex(State())

    /// Whether this transaction may try a direct COPY (counts down the skips).
    func mayTryDirect() -> Bool {
        state.withLock { state in
            guard state.skips > 0 else { return true }
            state.skips -= 1
            return false
        }
    }

    /// A direct COPY was stored.
    func succeeded() {
        state.withLock { $0.penalty = 1 }
    }

    /// A direct COPY hit a key already stored.
    func conflicted() {
        state.withLock { state in
            state.skips = state.penalty
            state.penalty = min(state.penalty * 2, Self.longestPenalty)
        }
    }
}
