import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

/// Ids, positions and dropped lines of the unified-log reader, without a child process.
struct UnifiedLogRecordNormalizerTests {
    @Test func idsComeFromTheEntryNotFromHowTheLineIsWritten() throws {
        var normalizer = UnifiedLogRecordNormalizer(position: nil)
        let line = FakeUnifiedLog.record(123_456_789_012_345_678)
        let first = normalizer.event(for: line, readAt: Date())
        let event = try #require(first)
        // `log show` may order or space the keys differently: same entry, same id.
        let reordered = "{ \"machTimestamp\": 123456789012345678, " + line.dropFirst().replacingOccurrences(of: #""machTimestamp":123456789012345678,"#, with: "")
        var other = UnifiedLogRecordNormalizer(position: nil)
        #expect(other.event(for: reordered, readAt: Date())?.id == event.id)
        // 64-bit tick counts that a Double cannot tell apart still give different ids.
        #expect(normalizer.event(for: FakeUnifiedLog.record(123_456_789_012_345_679), readAt: Date())?.id != event.id)
        #expect(event.source == "macos.unified")
        #expect(normalizer.position == "2026-11-20 10:15:02+0100")
    }

    @Test func bannersAndSummariesAreDroppedOtherLinesAreKept() {
        var normalizer = UnifiedLogRecordNormalizer(position: "2026-11-20 10:15:02+0100")
        #expect(normalizer.event(for: #"Filtering the log data using "process IN {"sshd"}""#, readAt: Date()) == nil)
        #expect(normalizer.event(for: "Skipping info and debug messages, pass --info and/or --debug to include.", readAt: Date()) == nil)
        #expect(normalizer.event(for: #"{"count":12,"finished":1}"#, readAt: Date()) == nil)
        let cut = normalizer.event(for: #"{"eventMessage":"Accepted password for bob"#, readAt: Date())
        #expect(cut?.category == .other)
        var replay = UnifiedLogRecordNormalizer(position: "2026-11-20 10:15:02+0100")
        #expect(replay.event(for: #"{"eventMessage":"Accepted password for bob"#, readAt: Date())?.id == cut?.id)
        #expect(normalizer.position == "2026-11-20 10:15:02+0100")
    }

    @Test(arguments: [
        ("2026-11-20 10:15:02.123456+0100", "2026-11-20 10:15:02+0100"),
        ("2026-11-20 10:15:02-0800", "2026-11-20 10:15:02-0800"),
        ("2026-11-20 10:15:02.5Z", "2026-11-20 10:15:02Z"),
        ("2026-11-20 10:15:02.123456+01:00", "2026-11-20 10:15:02+01:00"),
    ])
    func positionsDropTheFraction(timestamp: String, position: String) {
        #expect(UnifiedLogCommand.position(ofTimestamp: timestamp) == position)
    }

    @Test(arguments: ["", "2026-11-20T10:15:02+0100", "2026-11-20 10:15:02", "2026-11-20 10:15:02.12+01", "yesterday"])
    func malformedTimestampsGiveNoPosition(timestamp: String) {
        #expect(UnifiedLogCommand.position(ofTimestamp: timestamp) == nil)
    }

    @Test func thePredicateQuotesEachProcess() {
        #expect(UnifiedLogCommand.predicate(processes: ["sshd", #"we"ird"#]) == #"process IN {"sshd", "we\"ird"}"#)
        let fixed = Date(timeIntervalSince1970: 1_763_633_702)
        #expect(UnifiedLogCommand.position(of: fixed, timeZone: FixedOffset(seconds: 3600)) == "2025-11-20 11:15:02+0100")
    }
}
