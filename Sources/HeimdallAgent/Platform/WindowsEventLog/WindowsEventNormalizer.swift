#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// Turns one rendered event (`EvtRender(EvtRenderEventXml)`) of a channel into an event
/// with ``WindowsEventParser``.
///
/// The id hashes the channel, `System/Computer`, `System/EventRecordID` and
/// `System/TimeCreated@SystemTime`: the same record read again (after a restart from an
/// older bookmark) gets the same id, so the hub keeps one. XML without a record id (not an
/// event) hashes the channel and the text. A pure value: any thread may call it.
struct WindowsEventNormalizer: Sendable {
    /// The channel the events come from.
    let channel: WindowsEventChannel
    private let parser: WindowsEventParser

    init(channel: WindowsEventChannel) {
        self.channel = channel
        self.parser = WindowsEventParser(source: channel.source)
    }

    /// The event for `xml`; line breaks in it (between elements, or in the rendered message)
    /// become spaces, so `raw` is one line as in a `wevtutil` export.
    func event(forXML xml: String, readAt: Date) -> Event {
        let line = xml.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: " ")
        let parsed = parser.parse(line, readAt: readAt)
        let id: String
        if let record = Self.element("EventRecordID", in: line) {
            let event = WindowsEventXML.parse(line)
            id = RecordIdentity.id(parts: [
                "heimdall.event.windows.v1", channel.path, event?.computer ?? "", record, event?.timeCreated ?? "",
            ])
        } else {
            id = RecordIdentity.id(parts: ["heimdall.event.windows.norecord.v1", channel.path, line])
        }
        return Event(
            id: id, timestamp: parsed.timestamp ?? readAt, category: parsed.category, severity: parsed.severity,
            source: parsed.source ?? parser.source, message: parsed.message, fields: parsed.fields, raw: line
        )
    }

    /// The text of the first `<name>...</name>` element (no attributes), trimmed; `nil`
    /// when there is none or it is empty.
    static func element(_ name: String, in xml: String) -> String? {
        guard let open = xml.firstRange(of: "<\(name)>"), let close = xml[open.upperBound...].firstRange(of: "</\(name)>") else {
            return nil
        }
        let text = xml[open.upperBound..<close.lowerBound].trimmingCharacters(where: \.isWhitespace)
        return text.isEmpty ? nil : text
    }
}
