import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

@Suite struct EventNDJSONTests {
    static let events = [
        Event(
            id: "0123456789abcdef0123456789abcdef", timestamp: Date(timeIntervalSince1970: 1_795_169_702.123), category: .auth,
            severity: .medium, source: "linux.auth", message: "Failed password for \"bob\"\tfrom 203.0.113.5",
            fields: ["user": .string("bob"), "src_port": .number(22), "nested": .array([.bool(true), .null, .number(1.5)])],
            raw: "Nov 20 10:15:02 web1 sshd[1]: Failed password for \"bob\"\tfrom 203.0.113.5 — é\u{1}"
        ),
        Event(id: "fedcba9876543210", timestamp: Date(timeIntervalSince1970: 0), category: .remoteAccess, severity: .info, source: "x", message: ""),
    ]

    @Test(arguments: events)
    func linesAreWhatTheEventsJSONValueWrites(event: Event) {
        var out: [UInt8] = []
        EventNDJSON.append(event, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == event.jsonValue.jsonText() + "\n")
    }
}
