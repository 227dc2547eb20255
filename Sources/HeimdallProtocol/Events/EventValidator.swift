#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The members of one wire event that validation reads, as they arrived (`nil`: absent).
struct WireEvent {
    var id, ts, category, severity, source, message, fields, raw: JSONValue?

    init() {}

    /// The members of an event object.
    init(_ object: [String: JSONValue]) {
        for (key, value) in object { set(key, value) }
    }

    /// Keeps `value` when `key` names a member validation reads.
    mutating func set(_ key: String, _ value: JSONValue) {
        switch key {
        case "id": id = value
        case "ts": ts = value
        case "category": category = value
        case "severity": severity = value
        case "source": source = value
        case "message": message = value
        case "fields": fields = value
        case "raw": raw = value
        default: break
        }
    }

    /// Parses the event at the parser's position (an element of an `events` array at
    /// `depth`) straight into its slots: no dictionary per event. A value that is not an
    /// object is parsed (it must still be JSON) and refused.
    static func parse(_ parser: inout JSONParser, depth: Int) throws(JSONParseError) -> Result<Event, EventInvalid> {
        guard parser.peekValue() == UInt8(ascii: "{") else {
            _ = try parser.parseValue(depth: depth)
            return .failure(EventInvalid("event is not an object"))
        }
        var wire = WireEvent()
        try parser.parseMembers(depth: depth + 1) { key, parser throws(JSONParseError) in
            wire.set(key, try parser.parseValue(depth: depth + 1))
        }
        return EventValidator.validate(wire)
    }
}

/// Checks one wire event against protocol.md and turns it into an ``Event``.
public enum EventValidator {
    /// The validated event, or the reason it is refused (e.g. `invalid ts`).
    public static func validate(_ value: JSONValue) -> Result<Event, EventInvalid> {
        guard let object = value.objectValue else { return .failure(.init("event is not an object")) }
        return validate(WireEvent(object))
    }

    static func validate(_ object: WireEvent) -> Result<Event, EventInvalid> {
        guard let id = object.id?.stringValue, isValidID(id) else { return .failure(.init("invalid id")) }
        guard let ts = object.ts?.stringValue, let timestamp = RFC3339.parse(ts) else {
            return .failure(.init("invalid ts"))
        }
        guard let category = object.category?.stringValue.flatMap(EventCategory.init(rawValue:)) else {
            return .failure(.init("invalid category"))
        }
        guard let severity = object.severity?.stringValue.flatMap(EventSeverity.init(rawValue:)) else {
            return .failure(.init("invalid severity"))
        }
        guard let source = object.source?.stringValue, isValidSource(source) else {
            return .failure(.init("invalid source"))
        }
        guard let message = object.message?.stringValue else { return .failure(.init("invalid message")) }
        var fields: [String: JSONValue] = [:]
        switch object.fields {
        case nil, .null?: break
        case .object(let members)?: fields = members
        default: return .failure(.init("invalid fields"))
        }
        var raw: String?
        switch object.raw {
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
