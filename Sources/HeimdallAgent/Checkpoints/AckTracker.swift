/// Why ``AckTracker`` refused an input.
public struct AckTrackerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable identifiers of the refusal.
    public enum Code: String, Sendable, Hashable {
        /// A frame was recorded with a `seq` not exactly one more than the previous one.
        case sequenceGap = "sequence_gap"
        /// An ack named a frame that is not the oldest unacknowledged one.
        case outOfOrderAck = "out_of_order_ack"
        /// An ack named a frame that was never sent or is already acknowledged.
        case unknownSequence = "unknown_sequence"
    }

    /// What was refused.
    public var code: Code
    /// The `seq` concerned.
    public var seq: UInt64
    /// The `seq` that was expected instead, when there is one.
    public var expected: UInt64?

    /// Builds an error value.
    public init(code: Code, seq: UInt64, expected: UInt64?) {
        self.code = code
        self.seq = seq
        self.expected = expected
    }

    /// A one-line explanation.
    public var description: String {
        "\(code.rawValue): seq \(seq)" + (expected.map { ", expected \($0)" } ?? "")
    }
}

/// Tracks which file positions the hub has acknowledged.
///
/// Each data frame sent gets a `seq` (1, 2, 3, ... per session) and covers lines up to a
/// resume position per path. An ack may only acknowledge the oldest outstanding frame, so
/// acknowledged positions advance strictly in `seq` order; after each ack,
/// ``acknowledged`` is what the checkpoint store should save.
///
/// A pure value: no I/O, tested with plain values; owned by one task.
public struct AckTracker: Sendable, Hashable {
    private struct Frame: Sendable, Hashable {
        var seq: UInt64
        var positions: [String: FilePosition]
    }

    /// The positions covered by every acknowledged frame (the checkpoint to save).
    public private(set) var acknowledged: [String: FilePosition]
    private var outstanding: [Frame] = []
    private var lastSent: UInt64 = 0

    /// Starts from the positions loaded from the checkpoint.
    public init(acknowledged: [String: FilePosition] = [:]) {
        self.acknowledged = acknowledged
    }

    /// Frames sent and not yet acknowledged, oldest first.
    public var outstandingSequences: [UInt64] { outstanding.map(\.seq) }

    /// Records data frame `seq` covering lines up to `positions` (empty for a `status`
    /// frame). `seq` must be one more than the previously recorded frame's.
    public mutating func sent(seq: UInt64, positions: [String: FilePosition]) throws(AckTrackerError) {
        guard seq == lastSent + 1 else {
            throw AckTrackerError(code: .sequenceGap, seq: seq, expected: lastSent + 1)
        }
        lastSent = seq
        outstanding.append(Frame(seq: seq, positions: positions))
    }

    /// Applies the hub's ack for `seq`, which must be the oldest outstanding frame.
    ///
    /// - Returns: the paths whose acknowledged position changed (empty for a frame that
    ///   covered no lines); ``acknowledged`` holds the full map to save.
    @discardableResult
    public mutating func acked(seq: UInt64) throws(AckTrackerError) -> [String: FilePosition] {
        guard let oldest = outstanding.first else {
            throw AckTrackerError(code: .unknownSequence, seq: seq, expected: nil)
        }
        guard oldest.seq == seq else {
            let known = outstanding.contains { $0.seq == seq }
            throw AckTrackerError(code: known ? .outOfOrderAck : .unknownSequence, seq: seq, expected: oldest.seq)
        }
        outstanding.removeFirst()
        var changed: [String: FilePosition] = [:]
        for (path, position) in oldest.positions where acknowledged[path] != position {
            acknowledged[path] = position
            changed[path] = position
        }
        return changed
    }

    /// The session ended: outstanding frames are forgotten (their lines are re-sent on the
    /// next session under new numbers, starting again at `seq` 1); acknowledged positions stay.
    public mutating func sessionEnded() {
        outstanding.removeAll()
        lastSent = 0
    }
}
