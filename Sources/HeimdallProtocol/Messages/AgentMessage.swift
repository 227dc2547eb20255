#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A frame sent by an agent on the session listener (protocol.md, Agent to hub).
public enum AgentMessage: Sendable, Hashable {
    case hello(Hello)
    case events(EventBatch)
    case status(StatusReport)
    case heartbeat(Heartbeat)
    /// A request for a new certificate (new key) over the live session.
    case renew(RenewalRequest)
    case bye
    /// A frame whose `type` this version does not know; ignored with a non-fatal error.
    case unknown(type: String)

    /// The `seq` of a data frame (`events`, `status`), `nil` for the others.
    public var sequenceNumber: UInt64? {
        switch self {
        case .events(let batch): batch.sequenceNumber
        case .status(let report): report.sequenceNumber
        default: nil
        }
    }
}

/// `hello`: the first frame of a session.
public struct Hello: Sendable, Hashable {
    /// The highest protocol version the agent speaks.
    public var protocolVersion: Int
    public var agent: AgentInfo

    public init(protocolVersion: Int, agent: AgentInfo) {
        self.protocolVersion = protocolVersion
        self.agent = agent
    }
}

/// What an agent says about itself in `hello` (informative only: identity comes from the
/// certificate).
public struct AgentInfo: Sendable, Hashable {
    public var version: String?
    public var os: String?
    public var arch: String?
    public var hostname: String?

    public init(version: String? = nil, os: String? = nil, arch: String? = nil, hostname: String? = nil) {
        self.version = version
        self.os = os
        self.arch = arch
        self.hostname = hostname
    }
}

/// `events`: a batch of events, validated one by one as it is decoded.
public struct EventBatch: Sendable, Hashable {
    public var sequenceNumber: UInt64
    /// The events that passed validation, in batch order.
    public var events: [Event]
    /// The events that did not, with their index in the batch.
    public var rejected: [EventRejection]

    public init(sequenceNumber: UInt64, events: [Event], rejected: [EventRejection] = []) {
        self.sequenceNumber = sequenceNumber
        self.events = events
        self.rejected = rejected
    }

    /// How many events the frame carried.
    public var count: Int { events.count + rejected.count }
}

/// `status`: a system-status snapshot.
public struct StatusReport: Sendable, Hashable {
    public var sequenceNumber: UInt64
    /// When the snapshot was taken; `nil` when the agent's `ts` was not RFC 3339 (the
    /// snapshot is then rejected in the ack, not stored).
    public var takenAt: Date?
    public var metrics: JSONValue

    public init(sequenceNumber: UInt64, takenAt: Date?, metrics: JSONValue) {
        self.sequenceNumber = sequenceNumber
        self.takenAt = takenAt
        self.metrics = metrics
    }
}

/// `heartbeat`: a sign of life with the agent's delivery health.
public struct Heartbeat: Sendable, Hashable {
    /// The agent's clock, echoed in `pong` as sent.
    public var timestamp: String?
    public var spool: SpoolHealth?

    public init(timestamp: String?, spool: SpoolHealth?) {
        self.timestamp = timestamp
        self.spool = spool
    }
}

/// The agent's delivery health, stored per host.
public struct SpoolHealth: Sendable, Hashable {
    public var pendingEvents: Int64
    public var oldestPending: Date?
    public var droppedTotal: Int64

    public init(pendingEvents: Int64, oldestPending: Date?, droppedTotal: Int64) {
        self.pendingEvents = pendingEvents
        self.oldestPending = oldestPending
        self.droppedTotal = droppedTotal
    }
}

/// `renew`: the agent's CSR for a new key, sent when two thirds of its certificate's
/// lifetime have passed. Not a data frame (no `seq`); answered by `renewed` or a
/// non-fatal `error`.
public struct RenewalRequest: Sendable, Hashable {
    /// The PEM certificate request; its CN must be the session's host.
    public var csr: String

    public init(csr: String) {
        self.csr = csr
    }
}
