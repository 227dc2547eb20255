import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

/// The unified-log reader against a fake `log` (a shell script): first run, catch-up with
/// `log show` from the acknowledged position without gaps, `log stream` restarts, a missing
/// executable.
@Suite(.serialized) struct UnifiedLogSourceTests {
    typealias Fake = FakeUnifiedLog

    @Test func firstRunSavesTheStartAtOnceAndStreamsNewRecords() async throws {
        let fake = try Fake()
        try fake.append([Fake.record(1), Fake.record(2)])  // history before the first start: not sent
        let source = try UnifiedLogSource(settings: fake.settings, stateDirectory: fake.stateDirectory, logger: testLogger)
        #expect(try await source.read(count: 1, timeout: .milliseconds(500)).events.isEmpty)
        let saved = try #require(fake.savedPosition())
        #expect(UnifiedLogCommand.position(ofTimestamp: saved.replacingOccurrences(of: "+", with: ".5+")) == saved)
        try fake.append([Fake.record(3, second: 7, message: "Accepted publickey for alice from 198.51.100.7 port 52144 ssh2")])
        let batch = try await source.read(count: 1)
        #expect(batch.events.map(\.category) == [.auth])
        #expect(batch.events.first?.fields["user"] == .string("alice"))
        #expect(batch.mark == "2026-11-20 10:15:07+0100")
        let stream = try #require(fake.invocations().first { $0.first == "stream" })
        #expect(stream.prefix(4) == ["stream", "--style", "ndjson", "--predicate"])
        #expect(stream.last?.hasPrefix("process IN {\"sshd\", ") == true)
        let calls = fake.invocations()
        #expect(calls.contains { $0.first == "show" && $0.suffix(2) == ["--start", saved] })
    }

    @Test func aRestartCatchesUpFromTheAcknowledgedSecondWithTheSameIds() async throws {
        let fake = try Fake()
        try StateLineFile(stateDirectory: fake.stateDirectory, fileName: UnifiedLogSource.positionFileName).save("2026-11-20 10:15:02+0100")
        try fake.append([Fake.record(10, second: 1), Fake.record(11, second: 2), Fake.record(12, second: 3)])
        var firstIds: [String] = []
        do {
            let source = try UnifiedLogSource(settings: fake.settings, stateDirectory: fake.stateDirectory, logger: testLogger)
            let batch = try await source.read(count: 2)
            #expect(batch.events.map(\.raw) == [Fake.record(11, second: 2), Fake.record(12, second: 3)])  // from the saved second on
            #expect(batch.mark == "2026-11-20 10:15:03+0100")
            firstIds = batch.events.map(\.id)
            try fake.append([Fake.record(13, second: 4)])
            let live = try await source.read(count: 1)
            #expect(live.mark == "2026-11-20 10:15:04+0100")
            try source.commit(batch.mark)  // the live record was not acknowledged before the "crash"
        }
        #expect(fake.savedPosition() == "2026-11-20 10:15:03+0100")
        try fake.append([Fake.record(14, second: 5)])  // written while the agent was down
        let restarted = try UnifiedLogSource(settings: fake.settings, stateDirectory: fake.stateDirectory, logger: testLogger)
        let again = try await restarted.read(count: 3)
        #expect(again.events.map(\.raw) == [Fake.record(12, second: 3), Fake.record(13, second: 4), Fake.record(14, second: 5)])
        #expect(again.events.first?.id == firstIds.last)  // the repeat is a duplicate for the hub
        #expect(try await restarted.read(count: 1, timeout: .milliseconds(300)).events.isEmpty)
    }

    @Test func logStreamIsRestartedAndCaughtUpFromTheLastRecordRead() async throws {
        let fake = try Fake()
        try StateLineFile(stateDirectory: fake.stateDirectory, fileName: UnifiedLogSource.positionFileName).save("2026-11-20 10:15:01+0100")
        try fake.append([Fake.record(20, second: 1)])
        try fake.exitStream()
        let source = try UnifiedLogSource(settings: fake.settings, stateDirectory: fake.stateDirectory, logger: testLogger)
        #expect(try await source.read(count: 1).events.count == 1)
        try fake.append([Fake.record(21, second: 6)])
        var raws: [String] = []
        var shows: [[String]] = []
        let deadline = ContinuousClock.now + .seconds(5)
        while shows.count < 2 || !raws.contains(Fake.record(21, second: 6)), ContinuousClock.now < deadline {
            if let batch = try source.read(limit: 10) { raws += batch.events.compactMap(\.raw) } else { try await Task.sleep(for: .milliseconds(20)) }
            shows = fake.invocations().filter { $0.first == "show" }
        }
        #expect(raws.contains(Fake.record(21, second: 6)))
        #expect(shows.count >= 2)  // each restart of the stream catches up again
        #expect(shows.allSatisfy { ["2026-11-20 10:15:01+0100", "2026-11-20 10:15:06+0100"].contains($0.last) }, "\(shows)")
        #expect(source.lastReadPosition == "2026-11-20 10:15:06+0100")
        #expect(fake.savedPosition() == "2026-11-20 10:15:01+0100")  // nothing acknowledged
    }

    @Test func aMissingLogCommandIsAClearError() throws {
        let fake = try Fake()
        var settings = fake.settings
        settings.executable = fake.directory.file("no-such-log")
        #expect(throws: SystemLogError.self) {
            _ = try UnifiedLogSource(settings: settings, stateDirectory: fake.stateDirectory, logger: testLogger)
        }
        do {
            _ = try UnifiedLogSource.locate("heimdall-no-such-log")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unifiedLogMissing)
            #expect(error.description.contains("agent.unified_log"))
        }
    }
}
