#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The hub's side of one agent session (protocol.md, Session), with no I/O.
///
/// The channel handler decodes a frame, calls exactly one method, and performs the returned
/// ``Action``. Acks leave in `seq` order and only for frames whose content was committed,
/// whatever order commits complete in. Unexpected input in any state becomes a close action,
/// never a crash. A value type: owned by one session, used on its event loop.
public struct HubSessionStateMachine {
    /// What the handler must do next.
    public enum Action: Hashable, Sendable {
        case none
        /// Register the session (superseding an older one of the host), then send `welcome`.
        case welcome(Welcome, Hello)
        /// Hand a data frame to the ingest pipeline; call ``committed(_:stored:duplicates:)``
        /// or ``writeFailed(_:)`` with its `seq` when it is done.
        case submit(DataFrame)
        /// Store the agent's delivery health, then send `pong`.
        case pong(Pong, Heartbeat)
        /// Sign the CSR for the session's host off the event loop, then send `renewed` (or a
        /// non-fatal `error`) and call ``renewalFinished()``.
        case renew(RenewalRequest)
        /// Send these acks, in order.
        case sendAcks([Ack])
        /// Send a non-fatal `error` and go on.
        case sendError(ErrorReport)
        /// Send these frames (possibly none), flush, and close the connection.
        case sendAndClose([HubMessage])
    }

    /// A data frame on its way to the database.
    public enum DataFrame: Hashable, Sendable {
        case events(EventBatch)
        case status(StatusReport)

        public var sequenceNumber: UInt64 {
            switch self {
            case .events(let batch): batch.sequenceNumber
            case .status(let report): report.sequenceNumber
            }
        }
    }

    /// The state without its payload: what ``received(_:now:)`` switches on, so that matching
    /// does not copy the delivery's dictionaries.
    private enum Phase {
        case awaitingHello, active, draining, closed
    }

    private var phase: Phase {
        switch state {
        case .awaitingHello: .awaitingHello
        case .active: .active
        case .draining: .draining
        case .closed: .closed
        }
    }

    private enum State {
        case awaitingHello
        case active(Delivery)
        /// `bye` or shutdown: no new data frames; close once every submitted frame is acked.
        case draining(Delivery, farewell: ErrorReport?)
        case closed
    }

    /// Sequence bookkeeping of an active session.
    private struct Delivery {
        var nextSequence: UInt64 = 1
        var nextAck: UInt64 = 1
        /// Frames submitted and not yet acked, with the rejections decoding found.
        var pending: [UInt64: [EventRejection]] = [:]
        /// Commits that completed ahead of an earlier frame.
        var completed: [UInt64: Ack] = [:]

        /// Acks that can leave now, in order.
        mutating func releasableAcks() -> [Ack] {
            var acks: [Ack] = []
            while let ack = completed.removeValue(forKey: nextAck) {
                acks.append(ack)
                nextAck += 1
            }
            return acks
        }
    }

    private var state: State = .awaitingHello
    private var renewalInProgress = false
    /// The host name from the client certificate: the session's only identity.
    public let host: String
    public let sessionID: String
    public let limits: SessionLimits

    public init(host: String, sessionID: String, limits: SessionLimits) {
        self.host = host
        self.sessionID = sessionID
        self.limits = limits
    }

    /// Whether the handler should read more from the socket: not while the agent has a full
    /// window of unacknowledged frames (TCP backpressure), nor once the session winds down.
    public var wantsRead: Bool {
        switch state {
        case .awaitingHello: true
        case .active(let delivery): delivery.pending.count < limits.window
        case .draining, .closed: false
        }
    }

    /// Whether the session still waits for `hello`: its handler reads even while the ingest
    /// pipeline pushes back, so a new session is welcomed (or refused) in time.
    public var awaitsHello: Bool {
        if case .awaitingHello = state { return true }
        return false
    }

    /// Frames submitted to the pipeline and not yet acked.
    public var pendingCount: Int {
        switch state {
        case .active(let delivery), .draining(let delivery, _): delivery.pending.count
        case .awaitingHello, .closed: 0
        }
    }

    /// Whether the session has reached its end.
    public var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    /// A decoded frame arrived.
    public mutating func received(_ message: AgentMessage, now: Date) -> Action {
        switch (phase, message) {
        case (.closed, _):
            return .none
        case (_, .unknown("enroll")):
            return fail(.protocolViolation, "enroll is served on the enrollment listener (port 7444, ALPN heimdall-enroll/1), not on the session port")
        case (_, .unknown(let type)):
            return .sendError(ErrorReport(code: .unknownType, message: "unknown frame type \"\(type)\" ignored"))
        case (.awaitingHello, .hello(let hello)):
            guard hello.protocolVersion >= ProtocolVersion.current else {
                return fail(.unsupportedProtocol, "protocol \(hello.protocolVersion) is not supported; this hub speaks \(ProtocolVersion.current)")
            }
            state = .active(Delivery())
            return .welcome(Welcome(
                protocolVersion: ProtocolVersion.current, host: host, sessionID: sessionID,
                heartbeatInterval: limits.heartbeatInterval, maximumFrameLength: limits.maximumFrameLength,
                maximumBatchSize: limits.maximumBatchSize, window: limits.window
            ), hello)
        case (.awaitingHello, .bye):
            state = .closed
            return .sendAndClose([])
        case (.awaitingHello, _):
            return fail(.protocolViolation, "the first frame must be hello")
        case (.active, .hello):
            return fail(.protocolViolation, "hello was already received")
        case (.active, .events(let batch)):
            guard batch.count <= limits.maximumBatchSize else {
                return fail(.batchTooLarge, "batch of \(batch.count) events exceeds max_batch \(limits.maximumBatchSize)")
            }
            return submit(.events(batch), rejected: batch.rejected)
        case (.active, .status(let report)):
            let rejected = report.takenAt == nil ? [EventRejection(index: 0, reason: "invalid ts")] : []
            return submit(.status(report), rejected: rejected)
        case (.active, .heartbeat(let heartbeat)):
            return .pong(Pong(timestamp: RFC3339.format(now), echo: heartbeat.timestamp), heartbeat)
        case (.active, .renew(let request)):
            guard !renewalInProgress else {
                return .sendError(ErrorReport(code: .protocolViolation, message: "a renewal is already in progress", fatal: false))
            }
            renewalInProgress = true
            return .renew(request)
        case (.active, .bye):
            return drain(farewell: nil)
        case (.draining, _):
            // Late frames after bye or during shutdown are not acknowledged; the agent re-sends them.
            return .none
        }
    }

    /// The renewal requested by ``Action/renew(_:)`` was answered; another may follow.
    public mutating func renewalFinished() {
        renewalInProgress = false
    }

    /// A frame could not be decoded: fatal, `error` then close.
    public mutating func decodingFailed(_ error: ProtocolError) -> Action {
        if case .closed = state { return .none }
        return fail(error.code, error.message, fatal: true)
    }

    /// The data frame `seq` was committed with these counts.
    public mutating func committed(_ sequenceNumber: UInt64, stored: Int, duplicates: Int) -> Action {
        switch state {
        case .active(var delivery):
            state = .closed  // while `delivery` is changed, so its dictionaries are not copied
            let acks = complete(sequenceNumber, stored: stored, duplicates: duplicates, delivery: &delivery)
            state = .active(delivery)
            return acks.isEmpty ? .none : .sendAcks(acks)
        case .draining(var delivery, let farewell):
            state = .closed
            let acks = complete(sequenceNumber, stored: stored, duplicates: duplicates, delivery: &delivery)
            if delivery.pending.isEmpty {
                state = .closed
                return .sendAndClose(acks.map(HubMessage.ack) + (farewell.map { [.error($0)] } ?? []))
            }
            state = .draining(delivery, farewell: farewell)
            return acks.isEmpty ? .none : .sendAcks(acks)
        case .awaitingHello, .closed:
            return .none
        }
    }

    /// The data frame `seq` could not be committed: nothing more is acked on this session
    /// (the agent re-sends on its next one), and the session ends with `internal`.
    public mutating func writeFailed(_ sequenceNumber: UInt64) -> Action {
        switch state {
        case .active, .draining:
            return fail(.internal, "the hub could not store frame \(sequenceNumber); resend it later")
        case .awaitingHello, .closed:
            return .none
        }
    }

    /// `hello` did not arrive in time after the handshake.
    public mutating func helloDeadlinePassed() -> Action {
        guard case .awaitingHello = state else { return .none }
        return fail(.handshakeTimeout, "no hello within the deadline")
    }

    /// No frame arrived for 3 × `heartbeat_interval`.
    public mutating func idleDeadlinePassed() -> Action {
        switch state {
        case .awaitingHello, .active: fail(.idleTimeout, "no frame for \(3 * limits.heartbeatInterval) s")
        case .draining, .closed: .none
        }
    }

    /// The hub ends the session at once: `superseded` or `certificate_revoked`. Pending frames
    /// are not acked; whatever of them committed is deduplicated when the agent re-sends.
    public mutating func terminate(_ code: ProtocolErrorCode, _ message: String) -> Action {
        if case .closed = state { return .none }
        return fail(code, message, fatal: true)
    }

    /// The hub is shutting down: stop reading, ack what is pending, then `shutting_down`.
    public mutating func shutdown() -> Action {
        let farewell = ErrorReport(code: .shuttingDown, message: "the hub is shutting down")
        switch state {
        case .awaitingHello:
            state = .closed
            return .sendAndClose([.error(farewell)])
        case .active:
            return drain(farewell: farewell)
        case .draining, .closed:
            return .none
        }
    }

    /// The connection is gone.
    public mutating func closed() {
        state = .closed
    }

    /// Records a data frame of an active session and passes it on.
    private mutating func submit(_ frame: DataFrame, rejected: [EventRejection]) -> Action {
        guard case .active(var delivery) = state else { return .none }
        guard frame.sequenceNumber == delivery.nextSequence else {
            return fail(.badSequence, "expected seq \(delivery.nextSequence), got \(frame.sequenceNumber)")
        }
        state = .closed  // while `delivery` is changed, so its dictionaries are not copied
        delivery.nextSequence += 1
        delivery.pending[frame.sequenceNumber] = rejected
        state = .active(delivery)
        return .submit(frame)
    }

    private func complete(_ sequenceNumber: UInt64, stored: Int, duplicates: Int, delivery: inout Delivery) -> [Ack] {
        guard let rejected = delivery.pending.removeValue(forKey: sequenceNumber) else { return [] }
        delivery.completed[sequenceNumber] = Ack(sequenceNumber: sequenceNumber, stored: stored, duplicates: duplicates, rejected: rejected)
        return delivery.releasableAcks()
    }

    private mutating func drain(farewell: ErrorReport?) -> Action {
        guard case .active(let delivery) = state else { return .none }
        guard delivery.pending.isEmpty else {
            state = .draining(delivery, farewell: farewell)
            return .none
        }
        state = .closed
        return .sendAndClose(farewell.map { [.error($0)] } ?? [])
    }

    private mutating func fail(_ code: ProtocolErrorCode, _ message: String, fatal: Bool? = nil) -> Action {
        state = .closed
        return .sendAndClose([.error(ErrorReport(code: code, message: message, fatal: fatal ?? true))])
    }
}
