#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol
import HeimdallTLS

/// Turns `journalctl -o json` lines into events with ``JournaldParser``, with ids derived
/// from the record's `__CURSOR`.
///
/// A line without a cursor (not JSON, or cut) is still sent, as the parser makes it (`other`
/// for non-JSON); its id hashes the last cursor before it, its ordinal since that cursor and
/// its text, so reading the same output again gives the same ids. A pure value: use it
/// from one task.
struct JournalRecordNormalizer {
    private let parser = JournaldParser()
    /// The cursor of the last record normalized (the resume point).
    private(set) var lastCursor: String?
    private var linesSinceCursor = 0

    init(lastCursor: String?) {
        self.lastCursor = lastCursor
    }

    /// The event for one output line; advances ``lastCursor`` when the line has a cursor.
    mutating func event(for line: String, readAt: Date) -> Event {
        let parsed = parser.parse(line, readAt: readAt)
        let source = parsed.source ?? parser.source
        let id: String
        if let cursor = ClassifiedLine.jsonObject(line)?["__CURSOR"]?.stringValue, !cursor.isEmpty {
            id = RecordIdentity.id(parts: ["heimdall.event.journald.v1", cursor])
            lastCursor = cursor
            linesSinceCursor = 0
        } else {
            linesSinceCursor += 1
            id = RecordIdentity.id(parts: ["heimdall.event.journald.nocursor.v1", lastCursor ?? "", String(linesSinceCursor), line])
        }
        return Event(
            id: id, timestamp: parsed.timestamp ?? readAt, category: parsed.category, severity: parsed.severity,
            source: source, message: parsed.message, fields: parsed.fields, raw: line
        )
    }
}
