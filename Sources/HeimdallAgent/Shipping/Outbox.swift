#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// The agent's unacknowledged data frames, as a pure value (protocol.md, Window and
/// Delivery).
///
/// Frames enter in the order they were read. On every session the outbox numbers them from
/// `seq` 1, sends at most `window` ahead of the acks, and releases each frame when its ack
/// arrives (acks arrive in `seq` order, so the released frame is always the oldest). A frame
/// not acked when a session ends is sent again, under a new `seq`, on the next one.
public struct Outbox<Mark: Sendable>: Sendable {
    /// One data frame and the progress mark to commit once it is acked (`nil` for frames
    /// that complete no progress, e.g. status or the first pieces of a split frame).
    public struct Frame: Sendable {
        public var payload: Payload
        public var mark: Mark?
        /// When the frame's oldest content was read (for the heartbeat's `oldest_pending`).
        public var queuedAt: Date
    }

    /// The content of a data frame.
    public enum Payload: Sendable, Hashable {
        case events([Event])
        case status(takenAt: Date, metrics: JSONValue)

        var eventCount: Int {
            if case .events(let events) = self { return events.count }
            return 0
        }
    }

    private var frames: [Frame] = []
    /// How many of `frames` (from the front) are sent on the current session.
    private var sent = 0
    private var firstSequence: UInt64 = 1

    public init() {}

    /// Frames waiting for an ack (sent or not).
    public var count: Int { frames.count }

    /// Events waiting for an ack.
    public var pendingEvents: Int { frames.reduce(0) { $0 + $1.payload.eventCount } }

    /// When the oldest waiting frame was read.
    public var oldestPending: Date? { frames.first?.queuedAt }

    /// Frames sent on this session and not yet acked.
    public var inFlight: Int { sent }

    /// Adds a frame at the end.
    public mutating func append(_ payload: Payload, mark: Mark?, queuedAt: Date) {
        frames.append(Frame(payload: payload, mark: mark, queuedAt: queuedAt))
    }

    /// A new session begins: nothing is in flight, numbering restarts at 1, and frames with
    /// more events than the hub's `max_batch` are split (the mark stays on the last piece).
    public mutating func sessionStarted(maximumBatchSize: Int) {
        sent = 0
        firstSequence = 1
        let limit = max(1, maximumBatchSize)
        guard frames.contains(where: { $0.payload.eventCount > limit }) else { return }
        frames = frames.flatMap { frame -> [Frame] in
            guard case .events(let events) = frame.payload, events.count > limit else { return [frame] }
            let pieces = stride(from: 0, to: events.count, by: limit).map { Array(events[$0..<min($0 + limit, events.count)]) }
            return pieces.enumerated().map { index, piece in
                Frame(payload: .events(piece), mark: index == pieces.count - 1 ? frame.mark : nil, queuedAt: frame.queuedAt)
            }
        }
    }

    /// The next frame to send with its `seq`, if the window allows one.
    public mutating func nextToSend(window: Int) -> (sequenceNumber: UInt64, payload: Payload)? {
        guard sent < frames.count, sent < window else { return nil }
        let sequenceNumber = firstSequence + UInt64(sent)
        sent += 1
        return (sequenceNumber, frames[sent - 1].payload)
    }

    /// The hub acked `seq`: returns the released frame, or `nil` when the ack is not for the
    /// oldest frame in flight (a protocol error on the hub's side).
    public mutating func acknowledged(_ sequenceNumber: UInt64) -> Frame? {
        guard sent > 0, sequenceNumber == firstSequence else { return nil }
        sent -= 1
        firstSequence += 1
        return frames.removeFirst()
    }
}
