#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Turns `log stream|show --style ndjson` lines into events with ``MacUnifiedLogParser``.
///
/// Ids derive from what identifies a log entry, as written by both commands: `bootUUID`,
/// `machTimestamp` (the entry's tick count since boot), `processID`, `threadID`, `traceID`
/// and `eventMessage` (the numbers as written, not through a `Double`). So an entry read
/// by `log show` after a restart and again by `log stream` gets the same id, and the hub
/// keeps one. A line without `machTimestamp` (not JSON, or cut) is still sent as the parser
/// makes it; its id hashes the last position, its ordinal since that record and its text.
/// The banner `log stream` prints and the summary `log show` ends with are dropped.
/// A pure value: use it from one task.
struct UnifiedLogRecordNormalizer {
    private let parser: MacUnifiedLogParser
    /// The position of the last record normalized (see ``UnifiedLogCommand/position(ofTimestamp:)``).
    private(set) var position: String?
    private var linesSinceRecord = 0

    init(position: String?, timeZone: any UTCOffsets = HostTimeZone.shared) {
        self.position = position
        self.parser = MacUnifiedLogParser(timeZone: timeZone)
    }

    /// The event for one output line, `nil` for the commands' own banner and summary lines;
    /// advances ``position`` when the line is a record with a timestamp.
    mutating func event(for line: String, readAt: Date) -> Event? {
        let record = ClassifiedLine.jsonObject(line)
        if Self.isChatter(line, record: record) { return nil }
        let id: String
        if let tick = Self.rawNumber("machTimestamp", in: line) {
            let parts = ["heimdall.event.macos.unified.v1", record?["bootUUID"]?.stringValue ?? "", tick]
                + ["processID", "threadID", "traceID"].map { Self.rawNumber($0, in: line) ?? "" }
                + [record?["eventMessage"]?.stringValue ?? ""]
            id = RecordIdentity.id(parts: parts)
            if let next = record?["timestamp"]?.stringValue.flatMap(UnifiedLogCommand.position(ofTimestamp:)) { position = next }
            linesSinceRecord = 0
        } else {
            linesSinceRecord += 1
            id = RecordIdentity.id(parts: ["heimdall.event.macos.unified.norecord.v1", position ?? "", String(linesSinceRecord), line])
        }
        let parsed = parser.parse(line, readAt: readAt)
        return Event(
            id: id, timestamp: parsed.timestamp ?? readAt, category: parsed.category, severity: parsed.severity,
            source: parsed.source ?? parser.source, message: parsed.message, fields: parsed.fields, raw: line
        )
    }

    /// `Filtering the log data using ...` (`log stream`), `Skipping info and debug messages`
    /// and the closing `{"count":N,"finished":1}` (`log show`).
    static func isChatter(_ line: String, record: JSONValue?) -> Bool {
        guard let record else {
            return line.hasPrefix("Filtering the log data") || line.hasPrefix("Skipping info and debug messages")
        }
        return record["finished"] != nil && record["eventMessage"] == nil
    }

    /// The digits after `"name":` in a JSON line, exactly as written (64-bit values do not
    /// survive a `Double`); `nil` when the key is absent or its value is not a number.
    static func rawNumber(_ name: String, in line: String) -> String? {
        guard let keyRange = line.firstRange(of: "\"\(name)\":") else { return nil }
        let digits = line[keyRange.upperBound...].drop { $0 == " " }.prefix { $0.isASCII && ($0.isNumber || $0 == "-") }
        return digits.isEmpty ? nil : String(digits)
    }
}
