#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol
import Logging

/// The agent's delivery state across sessions: the event source, the on-disk ``Spool``
/// everything read goes to first, the outbox of frames built from the spool, and the
/// delivery health reported in heartbeats.
///
/// Events flow source → spool (`fsync`ed, then the source's mark is committed, so the
/// source may move on and its files may rotate away) → outbox frames → hub; an ack releases
/// the frame's records from the spool. The spool's unacknowledged records survive a crash
/// and are framed again on the next start (the hub deduplicates by event id).
///
/// An actor: a session's reader (acks) and writer (frames, heartbeats), the collecting loop
/// and the status loop call it concurrently. Its methods do blocking file I/O (the spool,
/// the source), like the tailer always did.
public actor Shipper<Source: EventSource> {
    /// Sizes of the outbox.
    public struct Limits: Sendable, Hashable {
        /// Events per `events` frame (also capped by the hub's `max_batch`).
        public var batchSize: Int
        /// Frames kept unacknowledged in memory; framing pauses beyond it (the rest waits
        /// in the spool).
        public var maximumFrames: Int
        /// Most events read from the source into the spool per ``Shipper/collect(now:)``.
        public var maximumCollect: Int

        public init(batchSize: Int = 500, maximumFrames: Int = 64, maximumCollect: Int = 20_000) {
            self.batchSize = batchSize
            self.maximumFrames = maximumFrames
            self.maximumCollect = maximumCollect
        }
    }

    private let source: Source
    private let spool: Spool
    private let limits: Limits
    private let logger: Logger
    /// Frames of spooled records; each frame's mark is the sequence number of its last record.
    private var outbox = Outbox<UInt64>()
    /// Events read from the source that the spool refused (retried first, mark not committed).
    private var unspooled: (events: [Event], mark: Source.Mark)?
    /// The current session's `welcome`, `nil` between sessions.
    public private(set) var welcome: Welcome?
    /// Set by ``leave()``: no new frames go out, and the session says `bye`.
    public private(set) var isLeaving = false

    public init(source: sending Source, spool: sending Spool, limits: Limits = Limits(), logger: Logger) {
        self.source = source
        self.spool = spool
        self.limits = limits
        self.logger = logger
    }

    /// A session was welcomed: everything unacknowledged will be sent again.
    public func sessionStarted(_ welcome: Welcome) {
        self.welcome = welcome
        outbox.sessionStarted(maximumBatchSize: welcome.maximumBatchSize)
    }

    /// The session ended.
    public func sessionEnded() {
        welcome = nil
    }

    /// Spools a status snapshot (framed and acked like events).
    public func enqueueStatus(takenAt: Date, metrics: JSONValue) {
        do {
            try spool.append([.status(takenAt: takenAt, metrics: metrics)], now: takenAt)
        } catch {
            logger.error("could not spool a status snapshot; skipped", metadata: ["error": "\(error)"])
        }
    }

    /// The agent is stopping: send nothing new.
    public func leave() {
        isLeaving = true
    }

    /// Reads new events from the source into the spool (at most
    /// ``Limits/maximumCollect``), `fsync`s them, then commits the source's mark. Called
    /// every poll interval whether or not a session is up.
    public func collect(now: Date) {
        var events: [Event] = []
        var mark: Source.Mark?
        if let retry = unspooled {
            events = retry.events
            mark = retry.mark
            unspooled = nil
        }
        while events.count < limits.maximumCollect {
            do {
                guard let batch = try source.read(limit: min(limits.batchSize, limits.maximumCollect - events.count)) else { break }
                events.append(contentsOf: batch.events)
                mark = batch.mark
            } catch {
                logger.error("could not read events", metadata: ["error": "\(error)"])
                break
            }
        }
        guard let mark else { return }
        do {
            try spool.append(events.map { .event($0) }, now: now)
        } catch {
            logger.error("could not spool events; retrying", metadata: ["error": "\(error)", "events": "\(events.count)"])
            unspooled = (events, mark)
            return
        }
        do {
            try source.commit(mark)
        } catch {
            logger.error("could not persist progress", metadata: ["error": "\(error)"])
        }
    }

    /// Collects, frames spooled records, then returns the frames the window allows.
    public func framesToSend(now: Date) -> [AgentMessage] {
        guard let welcome, !isLeaving else { return [] }
        collect(now: now)
        fill(batchSize: min(limits.batchSize, max(1, welcome.maximumBatchSize)))
        var messages: [AgentMessage] = []
        while let (sequenceNumber, payload) = outbox.nextToSend(window: welcome.window) {
            switch payload {
            case .events(let events):
                messages.append(.events(EventBatch(sequenceNumber: sequenceNumber, events: events)))
            case .status(let takenAt, let metrics):
                messages.append(.status(StatusReport(sequenceNumber: sequenceNumber, takenAt: takenAt, metrics: metrics)))
            }
        }
        return messages
    }

    /// The hub acked a frame: its records are released from the spool.
    public func acknowledged(_ ack: Ack) throws(AgentSessionError) {
        guard let frame = outbox.acknowledged(ack.sequenceNumber) else {
            throw AgentSessionError(.unexpectedAck, "ack for seq \(ack.sequenceNumber) does not match the oldest frame in flight")
        }
        if !ack.rejected.isEmpty {
            logger.warning("hub rejected events", metadata: ["seq": "\(ack.sequenceNumber)", "rejected": "\(ack.rejected)"])
        }
        guard let last = frame.mark else { return }
        spool.acknowledge(through: last)
    }

    /// A heartbeat carrying the spool's health: unacknowledged records, when the oldest of
    /// them was spooled, and the records dropped so far.
    public func heartbeat(now: Date) -> AgentMessage {
        .heartbeat(Heartbeat(
            timestamp: RFC3339.format(now),
            spool: SpoolHealth(pendingEvents: Int64(spool.pendingRecords), oldestPending: oldestPending, droppedTotal: spool.droppedTotal)
        ))
    }

    /// Records spooled and not yet acknowledged.
    public var pendingEvents: Int { spool.pendingRecords }

    private var oldestPending: Date? {
        guard spool.pendingRecords > 0 else { return nil }
        return [outbox.oldestPending, spool.oldestUnreadSpooledAt].compactMap { $0 }.min()
    }

    private func fill(batchSize: Int) {
        while outbox.count < limits.maximumFrames {
            let records = spool.read(limit: batchSize)
            guard !records.isEmpty else { return }
            var events: [Event] = []
            var first: Date?
            var last: UInt64 = 0
            func flush() {
                guard let queuedAt = first else { return }
                outbox.append(.events(events), mark: last, queuedAt: queuedAt)
                events.removeAll()
                first = nil
            }
            for record in records {
                switch record.content {
                case .event(let event):
                    events.append(event)
                    first = first ?? record.spooledAt
                    last = record.sequenceNumber
                case .status(let takenAt, let metrics):
                    flush()
                    outbox.append(.status(takenAt: takenAt, metrics: metrics), mark: record.sequenceNumber, queuedAt: record.spooledAt)
                }
            }
            flush()
        }
    }
}

/// Why an agent session ended, as the agent sees it.
public struct AgentSessionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable codes.
    public enum Code: String, Sendable, Hashable {
        case unexpectedAck = "unexpected_ack"
        case hubError = "hub_error"
        case connectionClosed = "connection_closed"
        case invalidFrame = "invalid_frame"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
