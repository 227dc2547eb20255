#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// The shape shared by the syslog-format parsers and the JSON-record parsers. Pure: any
/// thread may call it.
enum ClassifiedLine {
    /// A syslog line classified by `classify`: the match's category, severity and fields
    /// (over the header's `host`, `process`, `pid`: a crash names the process that died),
    /// or `system`/`info` with the header fields when nothing matches or there is no header.
    static func syslog(_ line: String, readAt: Date, timeZone: any UTCOffsets, classify: (SyslogLine) -> LineMatch?) -> ParsedLine {
        let header = SyslogLine.parse(line, now: readAt, timeZone: timeZone)
        guard let header, let match = classify(header) else { return GenericLine.parsed(line, header: header) }
        var fields = match.fields
        header.addBaseFields(to: &fields)
        return ParsedLine(timestamp: header.timestamp, category: match.category, severity: match.severity, message: header.message, fields: fields)
    }

    /// `line` as a JSON object (NDJSON records), or `nil` when it is not one.
    static func jsonObject(_ line: String) -> JSONValue? {
        guard line.utf8.first == UInt8(ascii: "{"), let record = try? JSONParser.parse(Array(line.utf8)), record.objectValue != nil else {
            return nil
        }
        return record
    }
}
