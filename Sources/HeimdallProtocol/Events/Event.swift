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

/// Checks one wire event against protocol.md and turns it into an ``Event``.
public enum EventValidator {
    /// The validated event, or the reason it is refused (e.g. `invalid ts`).
    public static func validate(_ value: JSONValue) -> Result<Event, EventInvalid> {
        guard let object = value.objectValue else { return .failure(.init("event is not an object")) }
        guard let id = object["id"]?.stringValue, isValidID(id) else { return .failure(.init("invalid id")) }
        guard let ts = object["ts"]?.stringValue, let timestamp = RFC3339.parse(ts) else {
            return .failure(.init("invalid ts"))
        }
        guard let category = object["category"]?.stringValue.flatMap(EventCategory.init(rawValue:)) else {
            return .failure(.init("invalid category"))
        }
        guard let severity = object["severity"]?.stringValue.flatMap(EventSeverity.init(rawValue:)) else {
            return .failure(.init("invalid severity"))
        }
        guard let source = object["source"]?.stringValue, isValidSource(source) else {
            return .failure(.init("invalid source"))
        }
        guard let message = object["message"]?.stringValue else { return .failure(.init("invalid message")) }
        var fields: [String: JSONValue] = [:]
        switch object["fields"] {
        case nil, .null?: break
        case .object(let members)?: fields = members
        default: return .failure(.init("invalid fields"))
        }
        var raw: String?
        switch object["raw"] {
        case nil, .null?: break
        case .string(let text)?: raw = text
        default: return .failure(.init("invalid raw"))
        }
        return .success(Event(
            id: id, timestamp: timestamp, category: category, severity: severity,
            source: source, message: message, fields: fields, raw: raw
        ))
    }

    /// 16 to 64 lowercase hex characters.
    public static func isValidID(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard (16...64).contains(utf8.count) else { return false }
        return utf8.allSatisfy { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f")) }
    }

    /// `^[a-z0-9_.-]{1,64}$`.
    public static func isValidSource(_ source: String) -> Bool {
        let utf8 = source.utf8
        guard (1...64).contains(utf8.count) else { return false }
        return utf8.allSatisfy {
            ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
        }
    }
}

/// The reason an event failed validation.
public struct EventInvalid: Error, Sendable, Hashable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}
