#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol
import Logging

/// Parses a whole log file into events, as the collectors would (same ids, same fields),
/// without connecting anywhere: `heimdall-agent parse`. Blocking; any thread.
public enum LogFileParser {
    /// Every line of `path` as an event, in file order.
    public static func events(in path: String, parser: any LineParser, logger: Logger) -> [Event] {
        let tailer = FileTailer(targets: [FileTailer.Target(path: path)], logger: logger)
        let normalizer = LineNormalizer(parser: parser)
        let now = Date()
        var events: [Event] = []
        while true {
            let lines = tailer.poll()
            if lines.isEmpty { break }
            events.append(contentsOf: lines.map { normalizer.event(for: $0, readAt: now) })
        }
        return events
    }
}
