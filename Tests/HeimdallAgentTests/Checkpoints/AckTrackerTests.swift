import Testing
@testable import HeimdallAgent

@Suite struct AckTrackerTests {
    func position(_ inode: UInt64, _ offset: UInt64) -> FilePosition {
        FilePosition(identity: FileIdentity(device: 1, inode: inode), offset: offset)
    }

    @Test func acksAdvancePositionsInSeqOrder() throws {
        var tracker = AckTracker(acknowledged: ["/a": position(1, 10)])
        try tracker.sent(seq: 1, positions: ["/a": position(1, 20)])
        try tracker.sent(seq: 2, positions: [:])  // a status frame
        try tracker.sent(seq: 3, positions: ["/a": position(1, 30), "/b": position(2, 5)])
        #expect(tracker.outstandingSequences == [1, 2, 3])
        #expect(try tracker.acked(seq: 1) == ["/a": position(1, 20)])
        #expect(try tracker.acked(seq: 2).isEmpty)
        #expect(tracker.acknowledged == ["/a": position(1, 20)])
        try tracker.acked(seq: 3)
        #expect(tracker.acknowledged == ["/a": position(1, 30), "/b": position(2, 5)])
        #expect(tracker.outstandingSequences.isEmpty)
    }

    @Test func outOfOrderAckIsRefusedAndChangesNothing() throws {
        var tracker = AckTracker()
        try tracker.sent(seq: 1, positions: ["/a": position(1, 20)])
        try tracker.sent(seq: 2, positions: ["/a": position(1, 40)])
        #expect(throws: AckTrackerError(code: .outOfOrderAck, seq: 2, expected: 1)) { try tracker.acked(seq: 2) }
        #expect(tracker.acknowledged.isEmpty)
        #expect(throws: AckTrackerError(code: .unknownSequence, seq: 7, expected: 1)) { try tracker.acked(seq: 7) }
        try tracker.acked(seq: 1)
        #expect(throws: AckTrackerError(code: .unknownSequence, seq: 1, expected: 2)) { try tracker.acked(seq: 1) }
        try tracker.acked(seq: 2)
        #expect(tracker.acknowledged == ["/a": position(1, 40)])
        #expect(throws: AckTrackerError(code: .unknownSequence, seq: 3, expected: nil)) { try tracker.acked(seq: 3) }
    }

    @Test func sequenceMustGrowByOne() throws {
        var tracker = AckTracker()
        #expect(throws: AckTrackerError(code: .sequenceGap, seq: 2, expected: 1)) { try tracker.sent(seq: 2, positions: [:]) }
        try tracker.sent(seq: 1, positions: [:])
        #expect(throws: AckTrackerError(code: .sequenceGap, seq: 1, expected: 2)) { try tracker.sent(seq: 1, positions: [:]) }
    }

    @Test func sessionEndKeepsAcknowledgedAndRestartsNumbering() throws {
        var tracker = AckTracker()
        try tracker.sent(seq: 1, positions: ["/a": position(1, 20)])
        try tracker.sent(seq: 2, positions: ["/a": position(1, 40)])
        try tracker.acked(seq: 1)
        tracker.sessionEnded()
        #expect(tracker.outstandingSequences.isEmpty)
        #expect(tracker.acknowledged == ["/a": position(1, 20)])
        try tracker.sent(seq: 1, positions: ["/a": position(1, 40)])
        try tracker.acked(seq: 1)
        #expect(tracker.acknowledged == ["/a": position(1, 40)])
    }

    @Test func rotationMovesPathToNewIdentity() throws {
        var tracker = AckTracker(acknowledged: ["/a": position(1, 900)])
        try tracker.sent(seq: 1, positions: ["/a": position(2, 15)])
        try tracker.acked(seq: 1)
        #expect(tracker.acknowledged["/a"] == position(2, 15))
    }
}
