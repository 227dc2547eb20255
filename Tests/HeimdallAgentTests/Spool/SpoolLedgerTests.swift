import Foundation
import Testing
@testable import HeimdallAgent

@Suite struct SpoolLedgerTests {
    func fresh(maximum: Int = 1_000, segment: Int = 300) -> SpoolLedger {
        SpoolLedger(
            segments: [SpoolLedger.Segment(number: 1)], nextSequence: 0, acknowledged: 0,
            reader: .init(segment: 1, offset: SpoolFormat.header.count), droppedTotal: 0, maximumBytes: maximum, segmentBytes: segment
        )
    }

    @Test func segmentsRollOverAndTheOldestIsDroppedAndCountedWhenFull() {
        var ledger = fresh()
        var actions: [SpoolLedger.Action] = []
        for index in 0..<10 {
            let result = ledger.append(recordBytes: 100, spooledAt: Date(timeIntervalSince1970: Double(index)))
            #expect(result.sequenceNumber == UInt64(index))
            actions += result.actions
        }
        // 2 records per segment (8 + 200 bytes; a third would pass 300).
        #expect(actions.prefix(2) == [.seal(1), .create(2)])
        #expect(actions.contains(.delete(1)))
        #expect(ledger.totalBytes <= 1_000)
        // Five segments of 208 bytes would pass 1,000: segment 1 (records 0 and 1) goes.
        #expect(ledger.segments.map(\.number) == [2, 3, 4, 5])
        #expect(ledger.droppedTotal == 2)
        #expect(ledger.pendingRecords == 8)
        #expect(ledger.acknowledged == 2)
        #expect(ledger.segments.first?.firstSpooledAt == Date(timeIntervalSince1970: 2))
    }

    @Test func acksReleaseRecordsAndDeleteFinishedSegments() {
        var ledger = fresh()
        for index in 0..<5 { _ = ledger.append(recordBytes: 100, spooledAt: Date(timeIntervalSince1970: Double(index))) }
        #expect(ledger.segments.map(\.number) == [1, 2, 3])
        #expect(ledger.acknowledge(through: 0).isEmpty)
        #expect(ledger.pendingRecords == 4)
        #expect(ledger.acknowledge(through: 3) == [.delete(1), .delete(2)])
        #expect(ledger.pendingRecords == 1)
        #expect(ledger.acknowledge(through: 4).isEmpty, "the segment being written stays")
        #expect(ledger.pendingRecords == 0)
        #expect(ledger.droppedTotal == 0)
    }

    @Test func theReaderWalksSegmentsAndSkipsDroppedOnes() {
        var ledger = fresh()
        for index in 0..<4 { _ = ledger.append(recordBytes: 100, spooledAt: Date(timeIntervalSince1970: Double(index))) }
        let first = ledger.readTarget()
        #expect(first?.segment == 1 && first?.offset == 8 && first?.end == 208)
        ledger.read(through: 1, nextOffset: 208)
        #expect(ledger.unreadRecords == 2)
        #expect(ledger.readTarget()?.segment == 2)
        for index in 4..<14 { _ = ledger.append(recordBytes: 100, spooledAt: Date(timeIntervalSince1970: Double(index))) }
        #expect(ledger.readTarget()?.segment == ledger.segments.first?.number)
        #expect(ledger.segments.first?.number ?? 0 > 2, "the reader's segment was dropped")
        #expect(ledger.framed == ledger.segments.first?.firstSequence)
        #expect(ledger.droppedTotal == Int64(ledger.framed), "records read but not acknowledged count as dropped too")
    }

    @Test func recoveryCutsATornTailQuarantinesDamageAndCountsMissingRecords() throws {
        let intact = SegmentScanner.scan(try encodedSegment(eventRecords(0..<3)))
        var damagedBytes = try encodedSegment(eventRecords(3..<6))
        damagedBytes[SegmentScanner.scan(damagedBytes).entries[1].range.lowerBound + 20] ^= 1
        let damaged = SegmentScanner.scan(damagedBytes)
        // Segment 3 (records 6..<9) is missing.
        let tornBytes = try encodedSegment(eventRecords(9..<12))
        let torn = SegmentScanner.scan(Array(tornBytes.dropLast(3)))
        let plan = SpoolRecoveryPlan.plan(
            segments: [(4, torn), (1, intact), (2, damaged)], state: SpoolState(acknowledged: 1, droppedTotal: 2), maximumBytes: 1 << 20
        )
        #expect(plan.steps == [
            .quarantine(2, keep: [damaged.entries[0].range, damaged.entries[1].range]),
            .truncate(4, length: torn.validLength),
        ])
        #expect(plan.lostRecords == 1 + 3, "record 4 and segment 3")
        #expect(plan.ledger.droppedTotal == 6)
        #expect(plan.ledger.pendingRecords == 2 + 2 + 2)
        #expect(plan.newSegment == 5)
        #expect(plan.ledger.nextSequence == 11)
        #expect(plan.ledger.reader == .init(segment: 1, offset: intact.entries[1].range.lowerBound))
        #expect(plan.ledger.oldestUnreadSpooledAt == Date(timeIntervalSince1970: 1_001))
    }

    @Test func recoveryDeletesAcknowledgedSegmentsAndTrustsNothingWithoutState() throws {
        let first = SegmentScanner.scan(try encodedSegment(eventRecords(0..<3)))
        let second = SegmentScanner.scan(try encodedSegment(eventRecords(3..<6)))
        let acked = SpoolRecoveryPlan.plan(segments: [(1, first), (2, second)], state: SpoolState(acknowledged: 3, droppedTotal: 0), maximumBytes: 1 << 20)
        #expect(acked.steps == [.delete(1)])
        #expect(acked.ledger.pendingRecords == 3)
        let stateless = SpoolRecoveryPlan.plan(segments: [(2, second)], state: nil, maximumBytes: 1 << 20)
        #expect(stateless.lostRecords == 0)
        #expect(stateless.ledger.pendingRecords == 3)
    }
}
