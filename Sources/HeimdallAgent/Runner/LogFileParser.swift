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
    /// Calls `body` with the event of every line of `path`, in file order, as the lines are
    /// read (a poll's worth at a time), so a large file is never held in memory.
    public static func forEachEvent(in path: String, parser: any LineParser, logger: Logger, _ body: (Event) -> Void) {
        let tailer = FileTailer(targets: [FileTailer.Target(path: path)], logger: logger)
        let normalizer = LineNormalizer(parser: parser)
        let now = Date()
        while true {
            let lines = tailer.poll()
            if lines.isEmpty { break }
            for line in lines { body(normalizer.event(for: line, readAt: now)) }
        }
    }
}
