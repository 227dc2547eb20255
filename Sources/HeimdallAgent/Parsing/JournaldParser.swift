#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Parses `journalctl -o json` records (one JSON object per line: `MESSAGE`,
/// `SYSLOG_IDENTIFIER`/`_COMM`, `_PID`, `_HOSTNAME`, `__REALTIME_TIMESTAMP`, `PRIORITY`,
/// `_SYSTEMD_UNIT`) with the same classifiers as the files: auth (sshd, sudo, su, login,
/// PAM, account changes), kernel and systemd, mail, firewall packet logs, dnsmasq. A record
/// none of them claims is `system` with a severity from `PRIORITY` (0-2 → high, 3 → low,
/// else info); a line that is not a JSON object is `other`/`info`.
///
/// Fields: those of the matching classifier plus `host`, `process`, `pid`, `unit`,
/// `priority`. A pure value: any thread may call it.
public struct JournaldParser: LineParser {
    /// `linux.journald`.
    public let source = "linux.journald"

    /// A parser for `journalctl -o json` lines (their times are UTC microseconds).
    public init() {}

    /// Parses one journal record; never fails.
    public func parse(_ line: String, readAt: Date) -> ParsedLine {
        guard let record = ClassifiedLine.jsonObject(line) else { return GenericLine.other(line) }
        let message = Self.text(record["MESSAGE"]) ?? ""
        let program = Self.text(record["SYSLOG_IDENTIFIER"]) ?? Self.text(record["_COMM"])
        let pid = Self.text(record["SYSLOG_PID"]).flatMap { Int($0) } ?? Self.text(record["_PID"]).flatMap { Int($0) }
        let timestamp = Self.text(record["__REALTIME_TIMESTAMP"]).flatMap { Double($0) }.map { Date(timeIntervalSince1970: $0 / 1_000_000) }
        let header = SyslogLine(timestamp: timestamp, host: Self.text(record["_HOSTNAME"]) ?? "", program: program, pid: pid, message: message)
        var fields = header.baseFields
        fields.put("unit", Self.text(record["_SYSTEMD_UNIT"]))
        let priority = Self.text(record["PRIORITY"]).flatMap { Int($0) }
        fields.put("priority", number: priority)
        guard let match = SyslogParser.classifyAny(header) else {
            let severity: EventSeverity = switch priority {
            case .some(0...2): .high
            case .some(3): .low
            default: .info
            }
            return ParsedLine(timestamp: timestamp, category: .system, severity: severity, message: message, fields: fields)
        }
        return ParsedLine(
            timestamp: timestamp, category: match.category, severity: match.severity, message: message,
            fields: fields.merging(match.fields) { _, specific in specific }
        )
    }

    /// A journal field as text: a string, or an array of bytes (how journald exports
    /// binary-unsafe values), decoded as UTF-8.
    private static func text(_ value: JSONValue?) -> String? {
        if let string = value?.stringValue { return string }
        guard let bytes = value?.arrayValue else { return nil }
        return String(decoding: bytes.compactMap { $0.intValue.flatMap(UInt8.init(exactly:)) }, as: UTF8.self)
    }
}
