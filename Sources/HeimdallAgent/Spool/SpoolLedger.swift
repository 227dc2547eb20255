#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The spool's bookkeeping as a pure value: which segments exist, how large they are, which
/// sequence numbers they hold, what was read into frames and what the hub acknowledged.
///
/// The I/O side (``Spool``) asks it what to do and performs the returned ``Action``s;
/// nothing here touches a file. Records are released in sequence order (acks arrive in
/// order), so segments are always deleted from the front, whether fully acknowledged or
/// dropped because the spool is full.
public struct SpoolLedger: Sendable, Hashable {
    /// One segment file.
    public struct Segment: Sendable, Hashable {
        public var number: UInt32
        public var firstSequence: UInt64?
        public var lastSequence: UInt64?
        public var records: Int
        /// File length, header included.
        public var bytes: Int
        public var firstSpooledAt: Date?

        public init(number: UInt32, bytes: Int = SpoolFormat.header.count) {
            self.number = number
            self.bytes = bytes
            records = 0
        }

        /// Records with a sequence number at or above `sequence` (exact unless a repaired
        /// segment has holes, then at most that).
        func records(from sequence: UInt64) -> Int {
            guard let first = firstSequence, let last = lastSequence, last >= sequence else { return 0 }
            return sequence <= first ? records : min(records, Int(last - sequence + 1))
        }
    }

    /// Where the next unread record starts.
    public struct Position: Sendable, Hashable {
        public var segment: UInt32
        public var offset: Int
    }

    /// File operations to perform, in order.
    public enum Action: Sendable, Hashable {
        /// `fsync` and close the segment being written.
        case seal(UInt32)
        /// Create a new, empty segment (header only) and write to it from now on.
        case create(UInt32)
        /// Delete a segment file.
        case delete(UInt32)
    }

    /// Oldest first; the last one is the segment being written.
    public private(set) var segments: [Segment]
    public private(set) var nextSequence: UInt64
    /// The first sequence number not acknowledged by the hub (nor dropped).
    public private(set) var acknowledged: UInt64
    /// The first sequence number not yet read into a frame.
    public private(set) var framed: UInt64
    public private(set) var reader: Position
    /// Records dropped because the spool was full, or lost to damage found at recovery.
    public private(set) var droppedTotal: Int64
    /// Missing sequence numbers already counted as dropped (persisted in the state file).
    public internal(set) var countedHoles: [ClosedRange<UInt64>] = []
    /// The spooled-at time of the next unread record, when known exactly.
    var nextUnreadSpooledAt: Date?
    public let maximumBytes: Int
    public let segmentBytes: Int

    /// A ledger over existing `segments` (oldest first, non-empty; the last is written next).
    public init(
        segments: [Segment], nextSequence: UInt64, acknowledged: UInt64, reader: Position, droppedTotal: Int64,
        maximumBytes: Int, segmentBytes: Int
    ) {
        self.segments = segments.isEmpty ? [Segment(number: 1)] : segments
        self.nextSequence = nextSequence
        self.acknowledged = acknowledged
        self.framed = acknowledged
        self.reader = reader
        self.droppedTotal = droppedTotal
        self.maximumBytes = maximumBytes
        self.segmentBytes = segmentBytes
    }

    /// The segment size for a spool of `maximumBytes`: 8 MiB, less for small spools (at
    /// least four segments fit).
    public static func segmentBytes(forMaximum maximumBytes: Int) -> Int {
        min(8 * 1_048_576, max(64 * 1024, maximumBytes / 4))
    }

    /// All segment bytes.
    public var totalBytes: Int { segments.reduce(0) { $0 + $1.bytes } }
    /// Records not acknowledged (nor dropped).
    public var pendingRecords: Int { segments.reduce(0) { $0 + $1.records(from: acknowledged) } }
    /// Records not yet read into frames.
    public var unreadRecords: Int { segments.reduce(0) { $0 + $1.records(from: framed) } }
    /// When the oldest unread record was spooled (exact after recovery or at a segment
    /// start, otherwise the time of its segment's first record: never younger than the truth).
    public var oldestUnreadSpooledAt: Date? {
        guard let segment = segments.first(where: { $0.records(from: framed) > 0 }) else { return nil }
        if segment.number == reader.segment, let exact = nextUnreadSpooledAt { return exact }
        return segment.firstSpooledAt
    }

    /// Makes room for a record of `recordBytes` holding `count` items: rolls to a new
    /// segment when the current one is full, then drops whole oldest segments while the
    /// spool would exceed its maximum (counting their unacknowledged items as dropped).
    /// Returns the actions to perform before writing the record, and its first sequence number.
    public mutating func append(recordBytes: Int, count: Int = 1, spooledAt: Date) -> (sequenceNumber: UInt64, actions: [Action]) {
        var actions: [Action] = []
        if let active = segments.last, active.records > 0, active.bytes + recordBytes > segmentBytes {
            actions.append(.seal(active.number))
            segments.append(Segment(number: active.number + 1))
            actions.append(.create(active.number + 1))
        }
        while segments.count > 1, totalBytes + recordBytes > maximumBytes {
            let oldest = segments.removeFirst()
            droppedTotal += Int64(oldest.records(from: acknowledged))
            if let last = oldest.lastSequence {
                acknowledged = max(acknowledged, last + 1)
                framed = max(framed, last + 1)
            }
            actions.append(.delete(oldest.number))
        }
        moveReaderIntoLiveSegments()
        let sequenceNumber = nextSequence
        nextSequence += UInt64(max(1, count))
        let index = segments.count - 1
        segments[index].bytes += recordBytes
        segments[index].records += max(1, count)
        segments[index].lastSequence = nextSequence - 1
        if segments[index].firstSequence == nil {
            segments[index].firstSequence = sequenceNumber
            segments[index].firstSpooledAt = spooledAt
        }
        return (sequenceNumber, actions)
    }

    /// Where to read next: the segment, the offset and the end of its written bytes, moving
    /// on to the next segment when the reader reached the end of a finished one. `nil` when
    /// everything written was read.
    public mutating func readTarget() -> (segment: UInt32, offset: Int, end: Int)? {
        moveReaderIntoLiveSegments()
        while let index = segments.firstIndex(where: { $0.number == reader.segment }) {
            let segment = segments[index]
            if reader.offset < segment.bytes { return (segment.number, reader.offset, segment.bytes) }
            guard index + 1 < segments.count else { return nil }
            reader = Position(segment: segments[index + 1].number, offset: SpoolFormat.header.count)
            nextUnreadSpooledAt = nil
        }
        return nil
    }

    /// Records up to `lastSequence` were read into frames; the next one starts at `offset`.
    public mutating func read(through lastSequence: UInt64?, nextOffset offset: Int) {
        reader.offset = offset
        nextUnreadSpooledAt = nil
        if let lastSequence { framed = max(framed, lastSequence + 1) }
    }

    /// The hub acknowledged every record up to `sequence`: returns the segments to delete
    /// (finished ones holding nothing unacknowledged).
    public mutating func acknowledge(through sequence: UInt64) -> [Action] {
        acknowledged = max(acknowledged, sequence + 1)
        framed = max(framed, acknowledged)
        var actions: [Action] = []
        while segments.count > 1, let first = segments.first, first.records(from: acknowledged) == 0 {
            segments.removeFirst()
            actions.append(.delete(first.number))
        }
        moveReaderIntoLiveSegments()
        return actions
    }

    /// A segment turned unreadable while being read: its unread records are counted as
    /// dropped and the reader moves past it. Returns how many were dropped.
    public mutating func abandonUnreadRecords(inSegment number: UInt32) -> Int {
        guard let index = segments.firstIndex(where: { $0.number == number }) else { return 0 }
        let lost = segments[index].records(from: framed)
        droppedTotal += Int64(lost)
        if let last = segments[index].lastSequence { framed = max(framed, last + 1) }
        reader = Position(segment: number, offset: segments[index].bytes)
        nextUnreadSpooledAt = nil
        return lost
    }

    /// Counts `count` records as dropped (one that could not be decoded).
    public mutating func countDropped(_ count: Int) {
        droppedTotal += Int64(count)
    }

    private mutating func moveReaderIntoLiveSegments() {
        guard let first = segments.first, !segments.contains(where: { $0.number == reader.segment }) else { return }
        reader = Position(segment: first.number, offset: SpoolFormat.header.count)
        nextUnreadSpooledAt = nil
    }
}
