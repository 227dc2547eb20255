import Foundation
import HeimdallProtocol

/// Cell and JSON helpers shared by the reports. Pure: any thread.
enum ReportValues {
    /// A time for a table cell, `-` when unknown.
    static func cell(_ date: Date?) -> String { date.map(RFC3339.format) ?? "-" }
    /// A time as JSON, `null` when unknown.
    static func json(_ date: Date?) -> JSONValue { date.map { .string(RFC3339.format($0)) } ?? .null }
    /// A string as JSON, `null` when absent.
    static func json(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
}
