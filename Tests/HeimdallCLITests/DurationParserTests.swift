import ArgumentParser
import Foundation
import HeimdallCLI
import Testing

@Suite struct DurationParserTests {
    @Test(arguments: [
        ("90s", 90.0), ("15m", 900.0), ("24h", 86_400.0), ("7d", 604_800.0), ("3600", 3_600.0), ("1", 1.0), ("2H", 7_200.0),
    ])
    func accepts(_ text: String, _ seconds: Double) {
        #expect(DurationParser.seconds(text) == seconds)
    }

    @Test(arguments: ["", "s", "0", "0s", "-5m", "1.5h", "10w", "m10", "1 h", "abc", "99999999999999d"])
    func refuses(_ text: String) {
        #expect(DurationParser.seconds(text) == nil)
    }

    @Test func timeArgumentDurationMeansAgo() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let argument = try #require(TimeArgument(argument: "15m"))
        #expect(argument == .ago(900))
        #expect(argument.date(relativeTo: now) == now - 900)
    }

    @Test func timeArgumentAcceptsRFC3339() throws {
        let argument = try #require(TimeArgument(argument: "2026-11-20T10:15:02Z"))
        #expect(argument.date() == Date(timeIntervalSince1970: 1_795_169_702))
        #expect(TimeArgument(argument: "2026-11-20T11:15:02+01:00")?.date() == Date(timeIntervalSince1970: 1_795_169_702))
    }

    @Test func timeArgumentRefusesOtherText() {
        #expect(TimeArgument(argument: "yesterday") == nil)
        #expect(TimeArgument(argument: "2026-11-20") == nil)
    }
}
