import Foundation
import HeimdallProtocol
import Logging
import Testing
@testable import HeimdallAgent

/// An event source over a fixed list, recording what was committed.
final class ListSource: EventSource {
    typealias Mark = Int
    private var remaining: [Event]
    private var read = 0
    private(set) var committed: [Int] = []

    init(count: Int) {
        remaining = (0..<count).map { index in
            Event(id: String(format: "%032x", index), timestamp: Date(timeIntervalSince1970: 0), category: .system, severity: .info, source: "test", message: "line \(index)")
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
        committed.append(mark)
    }
}

@Suite struct ShipperTests {
    let welcome = Welcome(protocolVersion: 1, host: "h", sessionID: "s", heartbeatInterval: 30, maximumFrameLength: 1 << 20, maximumBatchSize: 4, window: 2)

    @Test func framesFollowTheHubsLimitsAndAcksCommitMarks() async throws {
        let shipper = Shipper(source: ListSource(count: 10), limits: .init(batchSize: 100, maximumFrames: 8), logger: Logger(label: "test"))
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
        try await shipper.acknowledged(Ack(sequenceNumber: 1, stored: 4, duplicates: 0))
        #expect(await shipper.framesToSend(now: Date()).map(\.sequenceNumber) == [3])
        await #expect(throws: AgentSessionError.self) { try await shipper.acknowledged(Ack(sequenceNumber: 3, stored: 0, duplicates: 0)) }
    }

    @Test func heartbeatsReportTheBacklog() async {
        let shipper = Shipper(source: ListSource(count: 3), logger: Logger(label: "test"))
        await shipper.sessionStarted(welcome)
        _ = await shipper.framesToSend(now: Date(timeIntervalSince1970: 100))
        guard case .heartbeat(let heartbeat) = await shipper.heartbeat(now: Date()) else {
            Issue.record("expected a heartbeat")
            return
        }
        #expect(heartbeat.spool == SpoolHealth(pendingEvents: 3, oldestPending: Date(timeIntervalSince1970: 100), droppedTotal: 0))
    }
}
