#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Chooses the parser for each line on its own (``SourceSniffer/guess(_:now:)``: the
/// line's format, and for syslog lines the program) and names the event after it, so one
/// file mixing auth, kernel, mail and web lines still gets each line classified. A line
/// with no recognizable format goes to `linux.syslog`. `heimdall-agent parse --source auto`.
///
/// Slower than a fixed parser (a line may be tried by several formats). A pure value: any
/// thread may call it.
public struct AutoDetectingParser: LineParser {
    /// `auto`; events carry the source chosen for their line instead.
    public let source = "auto"
    /// The zone classic timestamps are interpreted in.
    public let timeZone: any UTCOffsets

    /// A parser reading classic timestamps in `timeZone`.
    public init(timeZone: any UTCOffsets = HostTimeZone.shared) {
        self.timeZone = timeZone
    }

    /// Parses `line` with the parser its format calls for; never fails.
    public func parse(_ line: String, readAt: Date) -> ParsedLine {
        let name = SourceSniffer.guess(Substring(line), now: readAt) ?? "linux.syslog"
        let parser = ParserCatalog.parser(named: name, timeZone: timeZone) ?? SyslogParser(timeZone: timeZone)
        var parsed = parser.parse(line, readAt: readAt)
        parsed.source = parser.source
        return parsed
    }
}
