#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Parses the macOS unified log as written by `log stream --style ndjson` (one JSON object
/// per line with `timestamp`, `processImagePath`, `processID`, `subsystem`, `category`,
/// `eventMessage`). sshd, sudo, su, loginwindow, authd/authorizationhost and the installers
/// are classified (`auth`, `privilege`, `software`); other records become `system`/`info`;
/// lines that are not JSON objects (the banner `log stream` prints first) become `other`/`info`.
///
/// Fields: `process`, `pid`, `subsystem`, `log_category`, plus the classifier's (`user`,
/// `target_user`, `src_ip`, `src_port`, `method`, `command`, `right`, `package`, `version`,
/// `action`, `outcome`). A pure value: any thread may call it.
public struct MacUnifiedLogParser: LineParser {
    /// `macos.unified`.
    public let source = "macos.unified"
    /// The zone timestamps without an offset are interpreted in.
    public let timeZone: any UTCOffsets

    /// A parser reading zone-less times in `timeZone`.
    public init(timeZone: any UTCOffsets = HostTimeZone.shared) {
        self.timeZone = timeZone
    }

    /// Parses one NDJSON record; never fails.
    public func parse(_ line: String, readAt: Date) -> ParsedLine {
        guard let record = ClassifiedLine.jsonObject(line) else { return GenericLine.other(line) }
        let message = record["eventMessage"]?.stringValue ?? ""
        let path = record["processImagePath"]?.stringValue ?? record["senderImagePath"]?.stringValue ?? ""
        let process = path.split(separator: "/").last.map(String.init) ?? ""
        var fields: [String: JSONValue] = [:]
        fields.put("process", process)
        fields.put("pid", number: record["processID"]?.intValue)
        fields.put("subsystem", record["subsystem"]?.stringValue)
        fields.put("log_category", record["category"]?.stringValue)
        let timestamp = record["timestamp"]?.stringValue.flatMap { Timestamps.numeric($0[...], timeZone: timeZone) }
        guard let match = MacMessages.classify(process: process, message: message) else {
            return ParsedLine(timestamp: timestamp, category: .system, severity: .info, message: message, fields: fields)
        }
        return ParsedLine(
            timestamp: timestamp, category: match.category, severity: match.severity, message: message,
            fields: fields.merging(match.fields) { _, specific in specific }
        )
    }
}
