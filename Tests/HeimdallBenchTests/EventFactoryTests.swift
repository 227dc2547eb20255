import Foundation
import HeimdallProtocol
import NIOCore
import Testing
@testable import HeimdallBench

@Suite struct EventFactoryTests {
    /// The baseline writes `events(…)` as values; the load sends `framePayload(…)`: the hub
    /// must decode the frame to exactly those values, at the run's time.
    @Test func framesDecodeToTheBaselinesEventsAtTheRunsTime() throws {
        let start = Date(timeIntervalSince1970: 1_795_000_000.123_456)
        let factory = EventFactory(run: "0badcafe", time: start)
        let payload = factory.framePayload(session: 7, sequenceNumber: 3, first: 40, count: 5)
        guard case .events(let batch) = try AgentMessage.decode(ByteBuffer(bytes: payload)) else {
            Issue.record("not an events frame")
            return
        }
        #expect(batch.sequenceNumber == 3)
        #expect(batch.rejected.isEmpty)
        #expect(batch.events == factory.events(session: 7, first: 40, count: 5))
        #expect(factory.time == Date(timeIntervalSince1970: 1_795_000_000.123))
        #expect(Set(batch.events.map(\.id)).count == 5)
    }
}
