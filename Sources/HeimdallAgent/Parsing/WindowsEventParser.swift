#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Parses Windows events rendered as XML (`wevtutil qe Security /f:xml`, `EvtRender` with
/// `EvtRenderEventXml`), one whole `<Event>...</Event>` per line: the collector (or an
/// operator exporting with `wevtutil`) writes each event on a single line, so a file of
/// them tails like any log. Security logons and account management, System service,
/// shutdown and crash events, Application installer and error events, and Remote Desktop
/// sessions are classified (see docs/EVENTS.md); other events become `system` with a
/// severity from their level; text that is not an event becomes `other`/`info`.
///
/// Base fields: `event_id`, `provider`, `channel`, `host`, `user_sid` (`System/Security@UserID`). A pure value: any thread may call it.
public struct WindowsEventParser: LineParser {
    /// `windows.security`, `windows.system` or `windows.application` (the events are the
    /// same format; the name records which log they were read from).
    public let source: String

    /// A parser naming its events `source`.
    public init(source: String = "windows.security") {
        self.source = source
    }

    /// Parses one event line; never fails.
    public func parse(_ line: String, readAt: Date) -> ParsedLine {
        guard let event = WindowsEventXML.parse(line) else { return GenericLine.other(line) }
        var fields: [String: JSONValue] = ["event_id": .number(Double(event.eventID))]
        fields.put("provider", event.provider)
        fields.put("channel", event.channel)
        fields.put("host", event.computer)
        fields.put("user_sid", event.userSID)
        let timestamp = event.timeCreated.flatMap(RFC3339.parse)
        let match = WindowsSecurityEvents.classify(event) ?? WindowsSystemEvents.classify(event) ?? Self.byLevel(event)
        let summary = event.message.map { $0.split(whereSeparator: \.isNewline).first.map(String.init) ?? $0 }
        let message = summary ?? "\(event.provider) event \(event.eventID)"
        return ParsedLine(
            timestamp: timestamp, category: match.category, severity: match.severity, message: message,
            fields: fields.merging(match.fields) { base, _ in base }
        )
    }

    /// An unclassified event: `system`, severity from `Level` (1 → high, 2 → medium, 3 → low).
    private static func byLevel(_ event: WindowsEventXML) -> LineMatch {
        let severity: EventSeverity = switch event.level {
        case 1: .high
        case 2: .medium
        case 3: .low
        default: .info
        }
        return LineMatch(.system, severity, fields: [:])
    }
}

/// Field extraction shared by the Windows event tables. Pure: any thread may call it.
extension WindowsEventXML {
    /// `fields` plus `key` = the event's `name` value, when present.
    func fields(_ mapping: [(String, String)], into fields: inout [String: JSONValue]) {
        for (key, name) in mapping {
            guard let value = self[name] else { continue }
            switch key {
            case "src_ip", "dst_ip": fields.put(key, ip: value)
            case "src_port", "logon_type": if let number = Int(value), number != 0 || key == "logon_type" { fields.put(key, number: number) }
            case "pid": fields.put(key, number: value.hasPrefix("0x") ? Int(value.dropFirst(2), radix: 16) : Int(value))
            default: fields.put(key, value)
            }
        }
    }

    /// A match with `action`, optional `outcome` and the mapped fields.
    func match(_ category: EventCategory, _ severity: EventSeverity, action: String, outcome: Outcome? = nil,
               _ mapping: [(String, String)] = []) -> LineMatch {
        var values: [String: JSONValue] = ["action": .string(action)]
        if let outcome { values["outcome"] = .string(outcome.rawValue) }
        fields(mapping, into: &values)
        return LineMatch(category, severity, fields: values)
    }
}
