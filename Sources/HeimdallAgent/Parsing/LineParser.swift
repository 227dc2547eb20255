#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// What a parser made of one log line.
///
/// A plain value: any thread may use it.
public struct ParsedLine: Sendable, Hashable {
    /// When the line says it happened, if it says so.
    public var timestamp: Date?
    /// The kind of activity.
    public var category: EventCategory
    /// How urgent it is.
    public var severity: EventSeverity
    /// A human-readable message (the syslog message, or the whole line).
    public var message: String
    /// Normalized fields (`user`, `src_ip`, `outcome`, ...).
    public var fields: [String: JSONValue]
    /// The source this line belongs to when the parser decides per line (the auto-detecting
    /// parser); `nil` means the parser's own ``LineParser/source``.
    public var source: String?

    /// Builds a parsed line.
    public init(timestamp: Date?, category: EventCategory, severity: EventSeverity, message: String, fields: [String: JSONValue] = [:],
                source: String? = nil) {
        self.timestamp = timestamp
        self.category = category
        self.severity = severity
        self.message = message
        self.fields = fields
        self.source = source
    }
}

/// Turns one log line into a ``ParsedLine``. Implementations never fail and never drop a
/// line: what they do not recognize becomes a `system`/`info` line.
///
/// Implementations are pure values: any thread may call them.
public protocol LineParser: Sendable {
    /// The collector name events get (`^[a-z0-9_.-]{1,64}$`, e.g. `linux.auth`).
    var source: String { get }

    /// Parses `line` (without its newline); `readAt` is when it was read, which anchors
    /// year inference for timestamps without a year.
    func parse(_ line: String, readAt: Date) -> ParsedLine
}

/// The fallbacks shared by every parser: `system`/`info` with the header fields for a
/// syslog-style line, `other`/`info` with the whole line for anything unreadable.
enum GenericLine {
    static func parsed(_ line: String, header: SyslogLine?) -> ParsedLine {
        guard let header else { return ParsedLine(timestamp: nil, category: .system, severity: .info, message: line) }
        return ParsedLine(
            timestamp: header.timestamp, category: .system, severity: .info, message: header.message, fields: header.baseFields
        )
    }

    /// `other`/`info`: the whole line as the message, nothing else understood.
    static func other(_ line: String, timestamp: Date? = nil, fields: [String: JSONValue] = [:]) -> ParsedLine {
        ParsedLine(timestamp: timestamp, category: .other, severity: .info, message: line, fields: fields)
    }
}
