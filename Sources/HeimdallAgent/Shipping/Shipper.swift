import Foundation
import HeimdallProtocol
import Logging

/// The agent's delivery state across sessions: the outbox of unacknowledged frames, the
/// event source it fills from, and the delivery health reported in heartbeats.
///
/// An actor: a session's reader (acks) and writer (frames, heartbeats) call it concurrently.
public actor Shipper<Source: EventSource> {
    /// Sizes of the outbox.
    public struct Limits: Sendable, Hashable {
        /// Events per `events` frame (also capped by the hub's `max_batch`).
        public var batchSize: Int
        /// Frames kept unacknowledged in memory; reading pauses beyond it.
        public var maximumFrames: Int

        public init(batchSize: Int = 500, maximumFrames: Int = 64) {
            self.batchSize = batchSize
            self.maximumFrames = maximumFrames
        }
    }

    private let source: Source
    private let limits: Limits
    private let logger: Logger
    private var outbox = Outbox<Source.Mark>()
    private var droppedTotal: Int64 = 0
    /// The current session's `welcome`, `nil` between sessions.
    public private(set) var welcome: Welcome?
    /// Set by ``leave()``: no new frames go out, and the session says `bye`.
    public private(set) var isLeaving = false

    public init(source: sending Source, limits: Limits = Limits(), logger: Logger) {
        self.source = source
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

    /// Queues a status snapshot (acked like events, no progress mark).
    public func enqueueStatus(takenAt: Date, metrics: JSONValue) {
        outbox.append(.status(takenAt: takenAt, metrics: metrics), mark: nil, queuedAt: takenAt)
    }

    /// The agent is stopping: send nothing new.
    public func leave() {
        isLeaving = true
    }

    /// Reads new events into the outbox, then returns the frames the window allows.
    public func framesToSend(now: Date) -> [AgentMessage] {
        guard let welcome, !isLeaving else { return [] }
        fill(batchSize: min(limits.batchSize, max(1, welcome.maximumBatchSize)), now: now)
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

    /// The hub acked a frame: its progress mark is committed.
    public func acknowledged(_ ack: Ack) throws(AgentSessionError) {
        guard let frame = outbox.acknowledged(ack.sequenceNumber) else {
            throw AgentSessionError(.unexpectedAck, "ack for seq \(ack.sequenceNumber) does not match the oldest frame in flight")
        }
        if !ack.rejected.isEmpty {
            logger.warning("hub rejected events", metadata: ["seq": "\(ack.sequenceNumber)", "rejected": "\(ack.rejected)"])
        }
        guard let mark = frame.mark else { return }
        do {
            try source.commit(mark)
        } catch {
            logger.error("could not persist progress", metadata: ["error": "\(error)"])
        }
    }

    /// A heartbeat carrying the current delivery health.
    public func heartbeat(now: Date) -> AgentMessage {
        .heartbeat(Heartbeat(
            timestamp: RFC3339.format(now),
            spool: SpoolHealth(pendingEvents: Int64(outbox.pendingEvents), oldestPending: outbox.oldestPending, droppedTotal: droppedTotal)
        ))
    }

    /// Events read and not yet acknowledged.
    public var pendingEvents: Int { outbox.pendingEvents }

    private func fill(batchSize: Int, now: Date) {
        while outbox.count < limits.maximumFrames {
            do {
                guard let (events, mark) = try source.read(limit: batchSize) else { return }
                outbox.append(.events(events), mark: mark, queuedAt: now)
            } catch {
                logger.error("could not read events", metadata: ["error": "\(error)"])
                return
            }
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
