import Foundation
import HeimdallProtocol
import Logging
import Synchronization
import Testing
@testable import HeimdallAgent

/// The marks a ``ListSource`` committed, readable after the source was handed to a shipper.
final class CommitLog: Sendable {
    private let marks = Mutex<[Int]>([])
    func append(_ mark: Int) { marks.withLock { $0.append(mark) } }
    var committed: [Int] { marks.withLock { $0 } }
}

/// An event source over a fixed list, recording what was committed.
final class ListSource: EventSource {
    typealias Mark = Int
    private var remaining: [Event]
    private var read = 0
    private let log: CommitLog

    init(count: Int, padding: Int = 0, log: CommitLog = CommitLog()) {
        self.log = log
        remaining = (0..<count).map { index in
            Event(
                id: String(format: "%032x", index), timestamp: Date(timeIntervalSince1970: 0), category: .system, severity: .info, source: "test",
                message: "line \(index)", raw: padding > 0 ? noise(count: padding, seed: UInt64(index)) : nil
            )
        }
    }

    func read(limit: Int) throws -> (events: [Event], mark: Int)? {
        guard !remaining.isEmpty else { return nil }
        let taken = Array(remaining.prefix(limit))
        remaining.removeFirst(taken.count)
        read += taken.count
        return (taken, read)
    }

    func commit(_ mark: Int) throws {
        log.append(mark)
    }
}

@Suite struct ShipperTests {
    let welcome = Welcome(protocolVersion: 1, host: "h", sessionID: "s", heartbeatInterval: 30, maximumFrameLength: 1 << 20, maximumBatchSize: 4, window: 2)

    @Test func framesFollowTheHubsLimitsAndAcksReleaseSpooledRecords() async throws {
        let directory = try TemporaryDirectory()
        let log = CommitLog()
        let spool = try Spool(directory: directory.file("spool"), logger: testLogger)
        let shipper = Shipper(source: ListSource(count: 10, log: log), spool: spool, limits: .init(batchSize: 100, maximumFrames: 8), logger: testLogger)
        #expect(await shipper.framesToSend(now: Date()).isEmpty)
        await shipper.sessionStarted(welcome)
        let first = await shipper.framesToSend(now: Date())
        #expect(first.map(\.sequenceNumber) == [1, 2])
        guard case .events(let batch) = first.first else {
            Issue.record("expected events")
            return
        }
        #expect(batch.events.count == 4)
        #expect(await shipper.pendingEvents == 10)
        #expect(log.committed == [10], "the source's mark is committed once its events are spooled")
        try await shipper.acknowledged(Ack(sequenceNumber: 1, stored: 4, duplicates: 0))
        #expect(await shipper.pendingEvents == 6)
        #expect(await shipper.framesToSend(now: Date()).map(\.sequenceNumber) == [3])
        await #expect(throws: AgentSessionError.self) { try await shipper.acknowledged(Ack(sequenceNumber: 3, stored: 0, duplicates: 0)) }
    }

    @Test func heartbeatsReportTheBacklog() async throws {
        let directory = try TemporaryDirectory()
        let spool = try Spool(directory: directory.file("spool"), logger: testLogger)
        let shipper = Shipper(source: ListSource(count: 3), spool: spool, logger: testLogger)
        await shipper.sessionStarted(welcome)
        _ = await shipper.framesToSend(now: Date(timeIntervalSince1970: 100))
        guard case .heartbeat(let heartbeat) = await shipper.heartbeat(now: Date()) else {
            Issue.record("expected a heartbeat")
            return
        }
        #expect(heartbeat.spool == SpoolHealth(pendingEvents: 3, oldestPending: Date(timeIntervalSince1970: 100), droppedTotal: 0))
    }

    @Test func eventsAreSpooledWithoutASessionAndStatusSnapshotsTravelThroughTheSpool() async throws {
        let directory = try TemporaryDirectory()
        let log = CommitLog()
        let shipper = Shipper(source: ListSource(count: 5, log: log), spool: try Spool(directory: directory.file("spool"), logger: testLogger), logger: testLogger)
        await shipper.collect(now: Date(timeIntervalSince1970: 50))
        await shipper.enqueueStatus(takenAt: Date(timeIntervalSince1970: 60), metrics: .object(["cpu": .number(1)]))
        #expect(log.committed == [5])
        #expect(await shipper.pendingEvents == 6)
        await shipper.sessionStarted(welcome)
        let frames = await shipper.framesToSend(now: Date(timeIntervalSince1970: 70))
        #expect(frames.map(\.sequenceNumber) == [1, 2])
        try await shipper.acknowledged(Ack(sequenceNumber: 1, stored: 4, duplicates: 0))
        try await shipper.acknowledged(Ack(sequenceNumber: 2, stored: 1, duplicates: 0))
        let rest = await shipper.framesToSend(now: Date(timeIntervalSince1970: 70))
        guard case .status(let report) = rest.first else {
            Issue.record("expected the status snapshot, got \(rest)")
            return
        }
        #expect(report.sequenceNumber == 3)
        try await shipper.acknowledged(Ack(sequenceNumber: 3, stored: 1, duplicates: 0))
        #expect(await shipper.pendingEvents == 0)
    }

    @Test func aFullSpoolDropsTheOldestAndHeartbeatsCountIt() async throws {
        let directory = try TemporaryDirectory()
        let spool = try Spool(directory: directory.file("spool"), maximumBytes: 1 << 20, logger: testLogger)
        let shipper = Shipper(
            source: ListSource(count: 300, padding: 10_000), spool: spool, limits: .init(batchSize: 10, maximumFrames: 8, maximumCollect: 10),
            logger: testLogger
        )
        for second in 0..<30 { await shipper.collect(now: Date(timeIntervalSince1970: Double(second))) }
        guard case .heartbeat(let heartbeat) = await shipper.heartbeat(now: Date()), let health = heartbeat.spool else {
            Issue.record("expected a heartbeat with spool figures")
            return
        }
        #expect(health.droppedTotal > 0)
        #expect(health.pendingEvents + health.droppedTotal == 300)
        #expect(health.oldestPending == Date(timeIntervalSince1970: Double(health.droppedTotal / 10)), "the oldest kept batch")
    }
}
