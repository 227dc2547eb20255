import Foundation
import HeimdallStore
import Logging
import NIOPosix
import Synchronization
import Testing
@testable import HeimdallHub

@Suite struct GroupCommitQueueTests {
    final class Recorder: Sendable {
        let groups = Mutex<[[Int]]>([])
        let failuresLeft: Mutex<Int>
        init(failures: Int = 0) { failuresLeft = Mutex(failures) }
    }

    struct Boom: Error {}

    /// A value shared with completion handlers.
    final class Shared<Value: Sendable>: Sendable {
        let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
        var current: Value { value.withLock { $0 } }
    }

    func queue(_ recorder: Recorder, limits: GroupCommitLimits) -> GroupCommitQueue<Int, Int> {
        GroupCommitQueue(limits: limits, logger: Logger(label: "test")) { items in
            try await Task.sleep(for: .milliseconds(20))
            if recorder.failuresLeft.withLock({ left in defer { left -= 1 }; return left > 0 }) { throw Boom() }
            recorder.groups.withLock { $0.append(items) }
            return items.map { $0 * 10 }
        }
    }

    @Test func everyItemCompletesWithItsOwnOutcomeAndGroupsFormUnderLoad() async {
        let recorder = Recorder()
        let queue = queue(recorder, limits: GroupCommitLimits(maximumTransactionWeight: 50, writers: 1))
        let runner = Task { await queue.run() }
        let outcomes = Shared<[Int: Int]>([:])
        await withTaskGroup(of: Void.self) { group in
            for item in 0..<100 {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        queue.submit(item, weight: 1) { result in
                            if case .success(let outcome) = result { outcomes.value.withLock { $0[item] = outcome } }
                            continuation.resume()
                        }
                    }
                }
            }
        }
        queue.finish()
        await runner.value
        #expect(outcomes.current == Dictionary(uniqueKeysWithValues: (0..<100).map { ($0, $0 * 10) }))
        let groups = recorder.groups.withLock { $0 }
        #expect(groups.count < 100)
        #expect(groups.allSatisfy { $0.count <= 50 })
    }

    @Test func writersPreferringAnEventLoopCompleteTheirItemsOnIt() async throws {
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = loops.next()
        let recorder = Recorder()
        let queue = queue(recorder, limits: GroupCommitLimits(maximumTransactionWeight: 10, writers: 2))
        let runner = Task { await queue.run(on: [loop]) }
        let onLoop = Shared<[Bool]>([])
        await withTaskGroup(of: Void.self) { group in
            for item in 0..<40 {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        queue.submit(item, weight: 1) { _ in
                            onLoop.value.withLock { $0.append(loop.inEventLoop) }
                            continuation.resume()
                        }
                    }
                }
            }
        }
        queue.finish()
        await runner.value
        #expect(onLoop.current == Array(repeating: true, count: 40))
        #expect(recorder.groups.withLock { $0 }.flatMap { $0 }.sorted() == Array(0..<40))
        try await loops.shutdownGracefully()
    }

    func submitAndWait(_ items: Range<Int>, to queue: GroupCommitQueue<Int, Int>, spacing: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            for item in items {
                try? await Task.sleep(for: spacing)
                group.addTask {
                    await withCheckedContinuation { continuation in queue.submit(item, weight: 1) { _ in continuation.resume() } }
                }
            }
        }
    }

    /// Lingering is timed by the writer's event loop, or by a sleeping task without one.
    @Test(arguments: [false, true])
    func lingerGathersItemsThatArriveCloseTogetherIntoOneTransaction(onEventLoop: Bool) async throws {
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let recorder = Recorder()
        let queue = queue(recorder, limits: GroupCommitLimits(writers: 1, linger: .milliseconds(300)))
        let runner = Task { await queue.run(on: onEventLoop ? [loops.next()] : []) }
        let start = ContinuousClock.now
        await submitAndWait(0..<3, to: queue, spacing: .milliseconds(20))
        #expect(start.duration(to: .now) >= .milliseconds(300))
        queue.finish()
        await runner.value
        // One transaction with all three (concurrent submitters may queue them in any order).
        #expect(recorder.groups.withLock { $0 }.map { $0.sorted() } == [[0, 1, 2]])
        try await loops.shutdownGracefully()
    }

    @Test func aFullTransactionDoesNotLinger() async {
        let recorder = Recorder()
        let queue = queue(recorder, limits: GroupCommitLimits(maximumTransactionWeight: 3, writers: 1, linger: .seconds(60)))
        let runner = Task { await queue.run() }
        let start = ContinuousClock.now
        await submitAndWait(0..<3, to: queue, spacing: .zero)
        #expect(start.duration(to: .now) < .seconds(30))
        queue.finish()
        await runner.value
        // One transaction with all three (concurrent submitters may queue them in any order).
        #expect(recorder.groups.withLock { $0 }.map { $0.sorted() } == [[0, 1, 2]])
    }

    @Test func aReaderDoesNotOvertakeSessionsWaitingForCapacity() async throws {
        let firstWrite = Shared(false)
        let queue = GroupCommitQueue<Int, Int>(
            limits: GroupCommitLimits(maximumTransactionWeight: 15, highWatermark: 20, lowWatermark: 10, writers: 1), logger: Logger(label: "test")
        ) { items in
            firstWrite.value.withLock { $0 = true }
            try await Task.sleep(for: .milliseconds(300))
            return items
        }
        queue.submit(1, weight: 15) { _ in }
        queue.submit(2, weight: 10) { _ in }
        let released = Shared(false)
        queue.whenCapacity { released.value.withLock { $0 = true } }
        let runner = Task { await queue.run() }
        while !firstWrite.current { try await Task.sleep(for: .milliseconds(5)) }
        // 10 queued, below the high watermark, but a session is still waiting its turn.
        #expect(queue.queuedWeight == 10)
        #expect(!queue.hasCapacity)
        #expect(!released.current)
        while !released.current { try await Task.sleep(for: .milliseconds(5)) }
        #expect(queue.hasCapacity)
        queue.finish()
        await runner.value
    }

    @Test func capacityTurnsOffAboveTheHighWatermarkAndBackBelowTheLow() async {
        let recorder = Recorder()
        let queue = queue(recorder, limits: GroupCommitLimits(maximumTransactionWeight: 10, highWatermark: 20, lowWatermark: 10, writers: 1))
        for item in 0..<25 { queue.submit(item, weight: 1) { _ in } }
        #expect(!queue.hasCapacity)
        let resumed = Shared(false)
        queue.whenCapacity { resumed.value.withLock { $0 = true } }
        let runner = Task { await queue.run() }
        queue.finish()
        await runner.value
        #expect(resumed.current)
        #expect(queue.hasCapacity)
    }

    @Test func transientFailuresAreRetriedAndPermanentOnesReported() async {
        let flaky = Recorder(failures: 1)
        let retried = queue(flaky, limits: GroupCommitLimits(writers: 1, attempts: 3))
        let result = Shared<Int?>(nil)
        retried.submit(7, weight: 1) { outcome in result.value.withLock { $0 = try? outcome.get() } }
        retried.finish()
        await retried.run()
        #expect(result.current == 70)

        let broken = Recorder(failures: 10)
        let failing = queue(broken, limits: GroupCommitLimits(writers: 1, attempts: 2))
        let failed = Shared(false)
        failing.submit(1, weight: 1) { outcome in if case .failure = outcome { failed.value.withLock { $0 = true } } }
        failing.finish()
        await failing.run()
        #expect(failed.current)
    }

    @Test func itemsAfterFinishFailAtOnce() {
        let queue = queue(Recorder(), limits: GroupCommitLimits())
        queue.finish()
        let failed = Shared(false)
        queue.submit(1, weight: 1) { outcome in if case .failure = outcome { failed.value.withLock { $0 = true } } }
        #expect(failed.current)
    }
}

@Suite struct HostStatusTests {
    @Test func statusFollowsTheLastFrame() {
        let now = Date(timeIntervalSince1970: 1000)
        #expect(HostStatus.of(lastFrame: nil, now: now, heartbeatInterval: 30) == .offline)
        #expect(HostStatus.of(lastFrame: now.addingTimeInterval(-59), now: now, heartbeatInterval: 30) == .online)
        #expect(HostStatus.of(lastFrame: now.addingTimeInterval(-61), now: now, heartbeatInterval: 30) == .stale)
    }

    @Test func trackerReportsOnlyChanges() {
        var tracker = HostStatusTracker()
        #expect(tracker.update("a", to: .online).changed)
        #expect(!tracker.update("a", to: .online).changed)
        #expect(tracker.update("a", to: .stale) == (true, .online))
        #expect(tracker.update("a", to: .offline).changed)
        #expect(!tracker.update("a", to: .offline).changed)
    }
}
