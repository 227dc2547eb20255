import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

@Suite struct OutboxTests {
    let now = Date(timeIntervalSince1970: 1_795_169_702)

    func outbox(frames: Int) -> Outbox<Int> {
        var outbox = Outbox<Int>()
        for mark in 0..<frames {
            outbox.append(.status(takenAt: now, metrics: .object([:])), mark: mark, queuedAt: now.addingTimeInterval(Double(mark)))
        }
        return outbox
    }

    @Test func sendsAtMostAWindowAndReleasesInOrder() {
        var outbox = outbox(frames: 5)
        #expect(outbox.nextToSend(window: 2)?.sequenceNumber == 1)
        #expect(outbox.nextToSend(window: 2)?.sequenceNumber == 2)
        #expect(outbox.nextToSend(window: 2) == nil)
        #expect(outbox.acknowledged(2) == nil)
        #expect(outbox.acknowledged(1)?.mark == 0)
        #expect(outbox.nextToSend(window: 2)?.sequenceNumber == 3)
        #expect(outbox.count == 4)
        #expect(outbox.oldestPending == now.addingTimeInterval(1))
    }

    @Test func aNewSessionResendsEverythingUnackedFromSeqOne() {
        var outbox = outbox(frames: 3)
        _ = outbox.nextToSend(window: 8)
        _ = outbox.nextToSend(window: 8)
        _ = outbox.acknowledged(1)
        outbox.sessionStarted(maximumBatchSize: 100)
        #expect(outbox.inFlight == 0)
        let resent = (0..<3).compactMap { _ in outbox.nextToSend(window: 8)?.sequenceNumber }
        #expect(resent == [1, 2])
        #expect(outbox.acknowledged(1)?.mark == 1)
        #expect(outbox.acknowledged(2)?.mark == 2)
        #expect(outbox.count == 0)
    }
}

extension OutboxTests {
    @Test func framesLargerThanANewHubsMaxBatchAreSplitKeepingTheMarkLast() {
        var outbox = Outbox<Int>()
        let events = (0..<5).map { Event(id: String(format: "%032x", $0), timestamp: now, category: .other, severity: .info, source: "t", message: "m") }
        outbox.append(.events(events), mark: 9, queuedAt: now)
        outbox.sessionStarted(maximumBatchSize: 2)
        #expect(outbox.count == 3)
        var counts: [Int] = []
        while let (_, payload) = outbox.nextToSend(window: 8) {
            if case .events(let piece) = payload { counts.append(piece.count) }
        }
        #expect(counts == [2, 2, 1])
        #expect(outbox.acknowledged(1)?.mark == nil)
        #expect(outbox.acknowledged(2)?.mark == nil)
        #expect(outbox.acknowledged(3)?.mark == 9)
    }
}

@Suite struct BackoffTests {
    struct Fixed: RandomNumberGenerator {
        var value: UInt64
        mutating func next() -> UInt64 { value }
    }

    @Test func delaysGrowToTheMaximumAndStayWithinTheirCeiling() {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(1))
        var generator = SystemRandomNumberGenerator()
        let ceilings: [Duration] = [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)]
        for ceiling in ceilings {
            let delay = backoff.nextDelay(using: &generator)
            #expect(delay <= ceiling)
            #expect(delay >= ceiling / 2)
        }
        backoff.reset()
        #expect(backoff.nextDelay(using: &generator) <= .milliseconds(100))
    }
}
