import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

/// One sample line and what a parser must make of it: exact category and severity, and
/// exact values for the listed fields (other fields may be present). `timestamp`, when
/// given, must match exactly.
struct ParserSample: Sendable, CustomTestStringConvertible {
    var line: String
    var category: EventCategory
    var severity: EventSeverity
    var fields: [String: JSONValue]
    var timestamp: String?
    var absent: [String] = []
    var testDescription: String { String(line.prefix(80)) }

    init(_ line: String, _ category: EventCategory, _ severity: EventSeverity, _ fields: [String: JSONValue] = [:],
         ts timestamp: String? = nil, absent: [String] = []) {
        self.line = line
        self.category = category
        self.severity = severity
        self.fields = fields
        self.timestamp = timestamp
        self.absent = absent
    }

    /// Checks `parser`'s result for this sample, read at `readAt`.
    func check(_ parser: any LineParser, readAt: Date = ParserSample.readAt) {
        let parsed = parser.parse(line, readAt: readAt)
        #expect(parsed.category == category, "\(parsed)")
        #expect(parsed.severity == severity, "\(parsed)")
        for (key, value) in fields {
            #expect(parsed.fields[key] == value, "\(key): \(String(describing: parsed.fields[key])) in \(parsed.fields)")
        }
        for key in absent {
            #expect(parsed.fields[key] == nil, "\(key) should be absent in \(parsed.fields)")
        }
        if let timestamp {
            #expect(parsed.timestamp == RFC3339.parse(timestamp), "\(String(describing: parsed.timestamp))")
        }
    }

    static let readAt = RFC3339.parse("2026-11-20T12:00:00Z") ?? Date()
    static let utc = TimeZone(identifier: "UTC") ?? .current
}

/// `.string(text)`.
func s(_ text: String) -> JSONValue { .string(text) }
/// `.number(value)`.
func n(_ value: Int) -> JSONValue { .number(Double(value)) }
