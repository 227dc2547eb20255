#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Turns tailed lines into protocol ``Event``s with a parser.
///
/// A pure value: any thread may call it.
public struct LineNormalizer: Sendable {
    /// The parser used for every line.
    public let parser: any LineParser

    /// A normalizer using `parser` (its `source` names the events).
    public init(parser: any LineParser) {
        self.parser = parser
    }

    /// The event for `line`: id from ``EventIdentity`` (source, file identity, start
    /// offset, text), timestamp from the line or else `readAt`, `raw` = the line. The source
    /// is the parser's, unless the parser chose one for this line (``ParsedLine/source``).
    public func event(for line: TailedLine, readAt: Date) -> Event {
        let parsed = parser.parse(line.text, readAt: readAt)
        let source = parsed.source ?? parser.source
        let id = EventIdentity.id(source: source, fileIdentity: line.identity, offset: line.startOffset, line: line.text)
        return Event(
            id: id, timestamp: parsed.timestamp ?? readAt, category: parsed.category, severity: parsed.severity,
            source: source, message: parsed.message, fields: parsed.fields, raw: line.text
        )
    }
}
