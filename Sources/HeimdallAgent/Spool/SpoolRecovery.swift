#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What to do with the segments found at start (pure; any thread).
///
/// Rules, segment by segment in number order:
/// - A torn tail (bytes after the last good record that hold no further good record) in the
///   newest segment is cut: that write was never `fsync`ed, so its source mark was never
///   committed and the lines will be read again.
/// - Bad bytes followed by good records, a bad header, or a torn tail in an older (sealed)
///   segment: the segment is quarantined (copied to `spool/quarantine/`) and replaced by a
///   copy holding its unacknowledged good records.
/// - A segment holding nothing unacknowledged is deleted.
/// - Sequence numbers missing among the unacknowledged records (a missing segment, records
///   lost inside a damaged one) are counted as lost and added to `dropped_total`, once: the
///   state file remembers the holes already counted.
/// A new segment, numbered after the highest found, receives new records.
public struct SpoolRecoveryPlan: Sendable, Hashable {
    /// File operations, in order.
    public enum Step: Sendable, Hashable {
        /// Cut the segment to `length` bytes.
        case truncate(UInt32, length: Int)
        /// Copy the segment to quarantine, then replace it by the `keep` byte ranges (after
        /// a fresh header), or delete it when `keep` is empty.
        case quarantine(UInt32, keep: [Range<Int>])
        /// Delete the segment.
        case delete(UInt32)
    }

    public var steps: [SpoolRecoveryPlan.Step] = []
    /// The bookkeeping after the steps, with ``newSegment`` as the segment written next.
    public var ledger: SpoolLedger
    /// The segment to create for new records.
    public var newSegment: UInt32
    /// Records found missing (already included in the ledger's `droppedTotal`).
    public var lostRecords: Int64 = 0
    /// One sentence per problem found, for the log.
    public var problems: [String] = []

    /// Plans the recovery of `segments` (any order) given the persisted `state` (`nil` when
    /// the state file is missing or unreadable: nothing is then assumed acknowledged or lost
    /// before the oldest record found).
    public static func plan(segments: [(number: UInt32, scan: SegmentScan)], state: SpoolState?, maximumBytes: Int) -> SpoolRecoveryPlan {
        let sorted = segments.sorted { $0.number < $1.number }
        let allEntries = sorted.flatMap(\.scan.entries)
        let acknowledged = state?.acknowledged ?? allEntries.map(\.sequenceNumber).min() ?? 0
        let newSegment = (sorted.last?.number ?? 0) + 1
        var steps: [Step] = []
        var problems: [String] = []
        var kept: [SpoolLedger.Segment] = []
        var expected = state?.acknowledged
        var lost: Int64 = 0
        var holes = SpoolState(acknowledged: acknowledged, droppedTotal: 0, countedHoles: (state?.countedHoles ?? []).filter { $0.upperBound >= acknowledged })
        var reader: (position: SpoolLedger.Position, spooledAt: Date)?
        for (number, scan) in sorted {
            var entries = scan.entries
            var length = scan.validLength
            let live = entries.filter { $0.lastSequenceNumber >= acknowledged }
            if scan.isCorrupt || (scan.tornTailOffset != nil && number != sorted.last?.number) {
                steps.append(.quarantine(number, keep: live.map(\.range)))
                let offsets = scan.corruptOffsets + (scan.tornTailOffset.map { [$0] } ?? [])
                problems.append("segment \(number) is damaged (\(scan.headerIsValid ? "" : "bad header, ")bad bytes at offsets \(offsets)); quarantined, \(live.reduce(0) { $0 + $1.count }) unacknowledged good records kept")
                var offset = SpoolFormat.header.count
                entries = live.map { entry in
                    var moved = entry
                    moved.range = offset..<(offset + entry.range.count)
                    offset += entry.range.count
                    return moved
                }
                length = offset
                if entries.isEmpty { continue }
            } else if let torn = scan.tornTailOffset {
                if live.isEmpty {
                    steps.append(.delete(number))
                    continue
                }
                steps.append(.truncate(number, length: length))
                problems.append("segment \(number) has a torn tail at offset \(torn); cut to \(length) bytes")
            } else if live.isEmpty {
                steps.append(.delete(number))
                continue
            }
            for entry in entries where entry.lastSequenceNumber >= acknowledged {
                if let expected, entry.sequenceNumber > expected { lost += holes.countNew(expected...(entry.sequenceNumber - 1)) }
                expected = entry.lastSequenceNumber + 1
                if reader == nil {
                    reader = (SpoolLedger.Position(segment: number, offset: entry.range.lowerBound), Date(millisecondsSince1970: entry.spooledAtMillis))
                }
            }
            var segment = SpoolLedger.Segment(number: number, bytes: length)
            segment.records = entries.reduce(0) { $0 + $1.count }
            segment.firstSequence = entries.first?.sequenceNumber
            segment.lastSequence = entries.last?.lastSequenceNumber
            segment.firstSpooledAt = entries.first.map { Date(millisecondsSince1970: $0.spooledAtMillis) }
            kept.append(segment)
        }
        if lost > 0 { problems.append("\(lost) unacknowledged records are missing (a missing or damaged segment); counted as dropped") }
        let nextSequence = max(acknowledged, (allEntries.map(\.lastSequenceNumber).max() ?? 0) + (allEntries.isEmpty ? 0 : 1))
        var ledger = SpoolLedger(
            segments: kept + [SpoolLedger.Segment(number: newSegment)], nextSequence: nextSequence, acknowledged: acknowledged,
            reader: reader?.position ?? SpoolLedger.Position(segment: newSegment, offset: SpoolFormat.header.count),
            droppedTotal: (state?.droppedTotal ?? 0) + lost, maximumBytes: maximumBytes,
            segmentBytes: SpoolLedger.segmentBytes(forMaximum: maximumBytes)
        )
        ledger.nextUnreadSpooledAt = reader?.spooledAt
        ledger.countedHoles = holes.countedHoles
        var plan = SpoolRecoveryPlan(ledger: ledger, newSegment: newSegment)
        plan.steps = steps
        plan.lostRecords = lost
        plan.problems = problems
        return plan
    }
}

extension Date {
    init(millisecondsSince1970 millis: Int64) {
        self.init(timeIntervalSince1970: Double(millis) / 1000)
    }
}
