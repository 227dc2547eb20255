import Logging
import NIOCore
import Synchronization

/// Group commit across sessions: items from every session wait in one bounded queue, and
/// each writer takes everything ready (up to a weight limit) into one transaction.
///
/// The hub uses two: the ingest pipeline (event and status frames, acked after commit) and
/// the session journal (session rows, heartbeats and host status changes, one writer so
/// they are applied in order).
///
/// While a transaction is in flight, newly submitted frames accumulate, so the next
/// transaction takes them all: the busier the hub, the bigger its commits. With a
/// ``GroupCommitLimits/linger``, a writer that finds less than a full transaction waits
/// until the oldest item is that old, so many small frames share one commit. The queue never
/// refuses a frame; instead ``hasCapacity`` turns false above the high watermark and
/// sessions stop reading from their sockets (TCP backpressure) until ``whenCapacity(_:)``
/// calls them back, in the order they paused, below the low watermark. Thread-safe: any thread may call it.
public final class GroupCommitQueue<Item: Sendable, Outcome: Sendable>: Sendable {
    /// Writes a group of items in one transaction, returning one outcome per item in order.
    public typealias Writer = @Sendable ([Item]) async throws -> [Outcome]
    /// Called once per item, on an arbitrary thread, after its transaction ended.
    public typealias Completion = @Sendable (Result<Outcome, any Error>) -> Void

    private struct Entry: Sendable {
        var item: Item
        var weight: Int
        var completion: Completion
        var queuedAt: ContinuousClock.Instant
    }

    private struct State: ~Copyable {
        var queue: [Entry] = []
        var queuedWeight = 0
        var finished = false
        var idleWriters: [CheckedContinuation<Void, Never>] = []
        var lingeringWriters: [CheckedContinuation<Void, Never>] = []
        var capacityWaiters: [@Sendable () -> Void] = []
    }

    private let state = Mutex(State())
    private let limits: GroupCommitLimits
    private let writer: Writer
    private let logger: Logger

    public init(limits: GroupCommitLimits, logger: Logger, writer: @escaping Writer) {
        self.limits = limits
        self.writer = writer
        self.logger = logger
    }

    /// Whether sessions may keep reading: queued weight below the high watermark, and no
    /// session waiting for capacity (a reader never overtakes the sessions already waiting,
    /// so under backpressure sessions are served in turn).
    public var hasCapacity: Bool {
        state.withLock { Self.hasCapacity($0, limits) }
    }

    private static func hasCapacity(_ state: borrowing State, _ limits: GroupCommitLimits) -> Bool {
        state.queuedWeight < limits.highWatermark && state.capacityWaiters.isEmpty
    }

    /// Queued weight not yet taken by a writer.
    public var queuedWeight: Int {
        state.withLock { $0.queuedWeight }
    }

    /// Calls `callback` once there is capacity: at once if there is, else when the queue
    /// falls below the low watermark.
    public func whenCapacity(_ callback: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            if Self.hasCapacity(state, limits) { return true }
            state.capacityWaiters.append(callback)
            return false
        }
        if now { callback() }
    }

    /// Queues `item`; `completion` runs after the transaction holding it committed (with its
    /// outcome) or finally failed. After ``finish()``, items fail at once.
    public func submit(_ item: Item, weight: Int, completion: @escaping Completion) {
        let accepted = state.withLock { state -> [CheckedContinuation<Void, Never>]? in
            guard !state.finished else { return nil }
            state.queue.append(Entry(item: item, weight: max(1, weight), completion: completion, queuedAt: .now))
            state.queuedWeight += max(1, weight)
            var wake = state.idleWriters.popLast().map { [$0] } ?? []
            if state.queuedWeight >= limits.maximumTransactionWeight {
                wake += state.lingeringWriters
                state.lingeringWriters.removeAll()
            }
            return wake
        }
        guard let writers = accepted else { return completion(.failure(GroupCommitQueueClosed())) }
        writers.forEach { $0.resume() }
    }

    /// Runs the writers until ``finish()`` was called and the queue is empty; writer `i`
    /// runs on `loops[i % loops.count]` (none: the global pool) — its steps between awaits,
    /// its completions and its linger timer, so a commit reaches the sessions of that loop
    /// without waking another thread.
    public func run(on loops: [any EventLoop] = []) async {
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<max(1, limits.writers) {
                let loop = loops.isEmpty ? nil : loops[index % loops.count]
                group.addTask(executorPreference: loop.map(EventLoopTaskExecutor.init)) { await self.writerLoop(on: loop) }
            }
        }
    }

    /// Stops accepting items; ``run()`` returns once everything queued is written.
    public func finish() {
        let writers = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.finished = true
            defer {
                state.idleWriters.removeAll()
                state.lingeringWriters.removeAll()
            }
            return state.idleWriters + state.lingeringWriters
        }
        writers.forEach { $0.resume() }
    }

    private func writerLoop(on loop: (any EventLoop)?) async {
        while let entries = await nextGroup(lingeringOn: loop) {
            await write(entries)
        }
    }

    /// Waits for work; `nil` once finished and drained.
    private enum Step { case group([Entry]), done, wait, linger(Duration) }

    private func nextGroup(lingeringOn loop: (any EventLoop)?) async -> [Entry]? {
        while true {
            let step = state.withLock { state -> Step in
                if let remaining = lingerRemaining(state) { return .linger(remaining) }
                if !state.queue.isEmpty { return .group(takeGroup(&state)) }
                return state.finished ? .done : .wait
            }
            switch step {
            case .group(let entries):
                releaseCapacityWaiters()
                return entries
            case .done: return nil
            case .linger(let remaining):
                await linger(for: remaining, on: loop)
            case .wait:
                await withCheckedContinuation { continuation in
                    let resumeNow = state.withLock { state -> Bool in
                        if !state.queue.isEmpty || state.finished { return true }
                        state.idleWriters.append(continuation)
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
        }
    }

    /// Waits up to `duration` (timed by `loop`, else by a sleeping task), or until a full
    /// transaction is queued or the queue finishes.
    private func linger(for duration: Duration, on loop: (any EventLoop)?) async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.finished || state.queuedWeight >= limits.maximumTransactionWeight { return true }
                state.lingeringWriters.append(continuation)
                return false
            }
            guard !resumeNow else { return continuation.resume() }
            if let loop {
                loop.scheduleTask(in: TimeAmount(duration)) { self.stopLingering() }
            } else {
                Task {
                    try? await Task.sleep(for: duration)
                    self.stopLingering()
                }
            }
        }
    }

    private func stopLingering() {
        let writers = state.withLock { state in
            defer { state.lingeringWriters.removeAll() }
            return state.lingeringWriters
        }
        writers.forEach { $0.resume() }
    }

    /// How much longer to wait for more items before taking a group; nil to take it now
    /// (nothing queued, a full transaction queued, finishing, or the oldest item old enough).
    private func lingerRemaining(_ state: borrowing State) -> Duration? {
        guard limits.linger > .zero, !state.finished, state.queuedWeight < limits.maximumTransactionWeight,
              let oldest = state.queue.first?.queuedAt
        else { return nil }
        let remaining = limits.linger - oldest.duration(to: .now)
        return remaining > .zero ? remaining : nil
    }

    private func takeGroup(_ state: inout State) -> [Entry] {
        var weight = 0
        var count = 0
        for entry in state.queue {
            if count > 0 && weight + entry.weight > limits.maximumTransactionWeight { break }
            weight += entry.weight
            count += 1
        }
        let group = Array(state.queue.prefix(count))
        state.queue.removeFirst(count)
        state.queuedWeight -= weight
        return group
    }

    private func write(_ entries: [Entry]) async {
        let items = entries.map(\.item)
        var lastError: (any Error)?
        for attempt in 1...max(1, limits.attempts) {
            do {
                let outcomes = try await writer(items)
                guard outcomes.count == entries.count else {
                    throw GroupCommitWriterMismatch(expected: entries.count, got: outcomes.count)
                }
                for (entry, outcome) in zip(entries, outcomes) { entry.completion(.success(outcome)) }
                return
            } catch {
                lastError = error
                logger.warning("group commit failed", metadata: ["attempt": "\(attempt)", "items": "\(entries.count)", "error": "\(error)"])
                if attempt < limits.attempts { try? await Task.sleep(for: .milliseconds(250 * attempt)) }
            }
        }
        for entry in entries { entry.completion(.failure(lastError ?? GroupCommitQueueClosed())) }
    }

    private func releaseCapacityWaiters() {
        let waiters = state.withLock { state -> [@Sendable () -> Void] in
            guard state.queuedWeight < limits.lowWatermark else { return [] }
            defer { state.capacityWaiters.removeAll() }
            return state.capacityWaiters
        }
        waiters.forEach { $0() }
    }
}

/// The queue was finished before the item could be written.
public struct GroupCommitQueueClosed: Error, Sendable {}

/// A writer returned a different number of outcomes than it was given items.
public struct GroupCommitWriterMismatch: Error, Sendable {
    public var expected: Int
    public var got: Int
}

extension GroupCommitQueue where Outcome == Void {
    /// Queues `item` without waiting for, or caring about, its commit (journal entries).
    public func record(_ item: Item) {
        submit(item, weight: 1) { _ in }
    }
}

/// Sizes of a ``GroupCommitQueue``.
public struct GroupCommitLimits: Sendable, Hashable {
    /// The most weight (events) in one transaction.
    public var maximumTransactionWeight: Int
    /// Above this queued weight, sessions stop reading.
    public var highWatermark: Int
    /// Below this, paused sessions resume.
    public var lowWatermark: Int
    /// Transactions in flight at once (one database connection each).
    public var writers: Int
    /// Attempts per transaction before its items fail (a dead database).
    public var attempts: Int
    /// How long a writer waits for more items when less than a full transaction is queued
    /// (fewer, larger commits for one-event frames, at up to this much added latency).
    public var linger: Duration

    public init(
        maximumTransactionWeight: Int = 5_000, highWatermark: Int = 50_000, lowWatermark: Int = 25_000, writers: Int = 2,
        attempts: Int = 3, linger: Duration = .zero
    ) {
        self.linger = linger
        self.maximumTransactionWeight = maximumTransactionWeight
        self.highWatermark = highWatermark
        self.lowWatermark = lowWatermark
        self.writers = writers
        self.attempts = attempts
    }
}
