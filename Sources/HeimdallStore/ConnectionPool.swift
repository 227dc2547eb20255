import Synchronization

/// Holds at most one connection; exactly one borrower owns a slot at a time (the pool
/// hands it out), which is what makes the unchecked Sendable conformance sound.
final class ConnectionSlot: @unchecked Sendable {
    var connection: PostgresConnection?
}

/// Hands out slots to async borrowers, queuing them when all are busy. Any thread.
final class ConnectionPool: Sendable {
    private struct State {
        var idle: [ConnectionSlot]
        var waiters: [CheckedContinuation<ConnectionSlot, any Error>] = []
        var all: [ConnectionSlot]
        var closed = false
    }

    private let state: Mutex<State>

    init(size: Int) {
        let slots = (0..<size).map { _ in ConnectionSlot() }
        state = Mutex(State(idle: slots, all: slots))
    }

    /// A free slot, waiting for one when all are borrowed.
    func checkout() async throws -> ConnectionSlot {
        try await withCheckedThrowingContinuation { continuation in
            let outcome: Result<ConnectionSlot, PostgresError>? = state.withLock { state in
                if state.closed { return .failure(PostgresError(.closed, message: "the database pool was closed")) }
                if let slot = state.idle.popLast() { return .success(slot) }
                state.waiters.append(continuation)
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    /// Returns a slot (to the next waiter, when any).
    func checkin(_ slot: ConnectionSlot) {
        let waiter: CheckedContinuation<ConnectionSlot, any Error>? = state.withLock { state in
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.idle.append(slot)
            return nil
        }
        waiter?.resume(returning: slot)
    }

    /// Marks the pool closed, fails waiters, and returns every slot for cleanup.
    func close() -> [ConnectionSlot] {
        let (waiters, slots) = state.withLock { state in
            state.closed = true
            defer { state.waiters = [] }
            return (state.waiters, state.all)
        }
        waiters.forEach { $0.resume(throwing: PostgresError(.closed, message: "the database pool was closed")) }
        return slots
    }
}
