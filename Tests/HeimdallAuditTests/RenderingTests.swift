import Foundation
import HeimdallAudit
import HeimdallProtocol
import Testing

@Suite struct RenderingTests {
    let events = [
        Fixtures.auditEvent(Fixtures.event(1, message: Fixtures.trickyMessage, fields: ["user": .string("ro,ot\"")], raw: "a,b")),
        Fixtures.auditEvent(Fixtures.event(2, category: .privilege, message: "sudo: alice → root")),
    ]

    @Test func tableKeepsOneLinePerEvent() {
        let text = EventReport.render(events, format: .table)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4) // header, two rows, trailing empty
        #expect(lines[0].hasPrefix("TIME"))
        #expect(lines[1].contains("Failed password for \"root\", from 203.0.113.9\\nsecond line\\tтест ✓ 日本"))
        #expect(lines[1].contains("2026-11-20T10:15:02.000Z"))
        #expect(lines[1].contains(String(Fixtures.fingerprint.prefix(16))))
        #expect(!lines[1].contains(Fixtures.fingerprint))
        #expect(lines[2].contains("sudo: alice → root"))
        // Columns line up: the host column starts at the same character offset on every line.
        let offsets = lines.prefix(3).map { $0.distance(from: $0.startIndex, to: $0.range(of: lines[0] == $0 ? "HOST" : "web01")?.lowerBound ?? $0.startIndex) }
        #expect(Set(offsets).count == 1)
    }

    @Test func jsonIsOneDocumentWithEveryColumn() throws {
        let text = EventReport.render(events, format: .json)
        #expect(text.hasSuffix("\n"))
        #expect(text.dropLast().contains("\n") == false)
        let parsed = try JSONParser.parse(Array(text.utf8))
        let array = try #require(parsed.arrayValue)
        #expect(array.count == 2)
        let first = array[0]
        #expect(first["message"]?.stringValue == Fixtures.trickyMessage)
        #expect(first["cert_serial"]?.stringValue == "0A1B2C")
        #expect(first["cert_fingerprint"]?.stringValue == Fixtures.fingerprint)
        #expect(first["session_id"]?.stringValue == "6f1c2a4e-0000-4000-8000-000000000001")
        #expect(first["event_id"]?.stringValue == "0000000000000001")
        #expect(first["occurred_at"]?.stringValue == "2026-11-20T10:15:02.000Z")
        #expect(first["received_at"]?.stringValue == "2026-11-20T10:15:03.000Z")
        #expect(first["fields"] == .object(["user": .string("ro,ot\"")]))
        #expect(first["raw"]?.stringValue == "a,b")
        #expect(array[1]["raw"] == .null)
        for key in ["host_id", "category", "severity", "source"] { #expect(first[key] != nil) }
    }

    @Test func csvFollowsRFC4180() throws {
        let text = EventReport.render(events, format: .csv)
        let records = parseCSV(text)
        #expect(records.count == 3)
        #expect(records[0] == EventReport.csvHeader)
        let column = try #require(EventReport.csvHeader.firstIndex(of: "message"))
        #expect(records[1][column] == Fixtures.trickyMessage)
        let fields = try #require(EventReport.csvHeader.firstIndex(of: "fields"))
        #expect(records[1][fields] == "{\"user\":\"ro,ot\\\"\"}")
        #expect(records[2][column] == "sudo: alice → root")
        #expect(text.hasSuffix("\r\n"))
        #expect(text.hasPrefix("occurred_at,received_at,host_id,event_id,category"))
    }

    @Test func csvFieldQuoting() {
        #expect(CSVWriter.field("plain") == "plain")
        #expect(CSVWriter.field("a,b") == "\"a,b\"")
        #expect(CSVWriter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.field("two\nlines") == "\"two\nlines\"")
        #expect(CSVWriter.field("cr\r\nlf") == "\"cr\r\nlf\"")
        #expect(CSVWriter.field(" padded") == "\" padded\"")
        #expect(CSVWriter.field("日本,✓") == "\"日本,✓\"")
    }

    @Test func emptyReports() throws {
        #expect(EventReport.render([], format: .json) == "[]\n")
        #expect(EventReport.render([], format: .table).hasPrefix("TIME"))
        #expect(parseCSV(EventReport.render([], format: .csv)).count == 1)
    }

    @Test func tableEscapesControlCharacters() {
        #expect(TextTable.displayText("a\u{1b}[31mb\r") == "a\\u{1b}[31mb\\r")
        #expect(TextTable.render(header: ["A", "B"], rows: [["xx", "y"]]) == "A   B\nxx  y\n")
    }

    /// A strict RFC 4180 reader (for checking the writer).
    private func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        field.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                record.append(field)
                field = ""
            } else if character == "\r\n" {
                record.append(field)
                records.append(record)
                record = []
                field = ""
            } else {
                field.append(character)
            }
        }
        return records
    }
}
