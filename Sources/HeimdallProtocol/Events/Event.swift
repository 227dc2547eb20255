#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The kind of activity an event records (protocol.md, `category`).
public enum EventCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case auth, privilege, crash, service, software
    case remoteAccess = "remote_access"
    case firewall, dns, web, system, other
}

/// How urgent an event is (protocol.md, `severity`).
public enum EventSeverity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    private var rank: Int {
        switch self {
        case .info: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        case .critical: 4
        }
    }

    public static func < (lhs: EventSeverity, rhs: EventSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// One normalized event, as an agent sends it and as the hub stores it.
///
/// Values of this type are always valid: build them with ``init(id:timestamp:category:severity:source:message:fields:raw:)``
/// from trusted code, or with ``EventValidator`` from wire input.
public struct Event: Sendable, Hashable {
    /// 16 to 64 lowercase hex characters, derived deterministically from the event's origin.
    public var id: String
    /// When the event happened (stored as UTC).
    public var timestamp: Date
    public var category: EventCategory
    public var severity: EventSeverity
    /// The collector that produced the event, `^[a-z0-9_.-]{1,64}$` (e.g. `linux.auth`).
    public var source: String
    public var message: String
    /// Normalized fields (`user`, `src_ip`, `outcome`, ...; see docs/PROTOCOL.md).
    public var fields: [String: JSONValue]
    /// The original line or record, when there is one.
    public var raw: String?

    public init(
        id: String, timestamp: Date, category: EventCategory, severity: EventSeverity,
        source: String, message: String, fields: [String: JSONValue] = [:], raw: String? = nil
    ) {
        self.id = id
        self.timestamp = timestamp
        self.category = category
        self.severity = severity
        self.source = source
        self.message = message
        self.fields = fields
        self.raw = raw
    }

    /// The event as the JSON object of an `events` frame.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "ts": .string(RFC3339.format(timestamp)),
            "category": .string(category.rawValue), "severity": .string(severity.rawValue),
            "source": .string(source), "message": .string(message), "fields": .object(fields),
        ]
        if let raw { object["raw"] = .string(raw) }
        return .object(object)
    }
}

/// Why one event of a batch was refused (reported in `ack.rejected`).
public struct EventRejection: Sendable, Hashable, Codable {
    /// Position of the event in its batch, from 0.
    public var index: Int
    public var reason: String

    public init(index: Int, reason: String) {
        self.index = index
        self.reason = reason
    }
}

/// The reason an event failed validation.
public struct EventInvalid: Error, Sendable, Hashable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}
