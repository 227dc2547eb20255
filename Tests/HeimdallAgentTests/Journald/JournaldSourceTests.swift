import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

/// The journald collector against a fake `journalctl` (a shell script): first run, cursor
/// resume without gaps or repeats, malformed output, `journalctl` exiting, a cursor the
/// journal does not know, and a missing `journalctl`.
@Suite(.serialized) struct JournaldSourceTests {
    typealias Fake = FakeJournalctl

    @Test func firstRunStartsAtTheEndAndSavesTheNewestCursorAtOnce() async throws {
        let fake = try Fake()
        try fake.append([Fake.record("c1"), Fake.record("c2")])
        let source = try JournaldSource(settings: fake.settings, stateDirectory: fake.stateDirectory, logger: testLogger)
        #expect(try source.read(limit: 10) == nil)
        #expect(fake.savedCursor() == "c2")
        try fake.append([Fake.record("c3", message: "three")])
        let batch = try await source.read(count: 1)
        #expect(batch.events.map(\.message) == ["three"])
        #expect(batch.mark == "c3")
        #expect(fake.invocations().contains { $0.contains("--after-cursor=c2") })
    }

    @Test func resumesAfterTheAcknowledgedCursorWithStableIds() async throws {
        let fake = try Fake()
        try fake.append([Fake.record("c1")])
        var ids: [String] = []
        do {
            let source = try JournaldSource(settings: fake.settings, stateDirectory: fake.stateDirectory, logger: testLogger)
            _ = try source.read(limit: 10)
            try fake.append([Fake.record("c2"), Fake.record("c3"), Fake.record("c4")])
            let batch = try await source.read(count: 3)
            #expect(batch.events.count == 3)
            ids = batch.events.map(\.id)
            // Only c2 and c3 were acknowledged before the "crash".
            try source.commit("c3")
        }
        #expect(fake.savedCursor() == "c3")
        try fake.append([Fake.record("c5")])
        let restarted = try JournaldSource(settings: fake.settings, stateDirectory: fake.stateDirectory, logger: testLogger)
        let again = try await restarted.read(count: 2)
        #expect(again.events.map(\.id).first == ids.last)  // c4 sent again, same id: the hub drops the duplicate
        #expect(again.events.count == 2)
        #expect(again.mark == "c5")
        #expect(Set(ids + again.events.map(\.id)).count == 4)
        #expect(try restarted.read(limit: 10) == nil)
    }

    @Test func malformedLinesAreSentAsOtherAndDoNotMoveTheCursor() async throws {
        let fake = try Fake()
        let source = try JournaldSource(settings: fake.settings, stateDirectory: fake.stateDirectory, logger: testLogger)
        #expect(try source.read(limit: 10) == nil)  // empty journal: followed from its beginning
        try fake.append([
            Fake.record("c1", message: "Failed password for root from 203.0.113.9 port 22 ssh2", identifier: "sshd"),
            "this is not json", #"{"MESSAGE":"no cursor"}"#, "{\"truncated\":", Fake.record("c2"),
        ])
        let batch = try await source.read(count: 5)
        #expect(batch.events.map(\.category) == [.auth, .other, .system, .other, .system])
        #expect(batch.events[1].raw == "this is not json")
        #expect(Set(batch.events.map(\.id)).count == 5)
        #expect(batch.mark == "c2")
        #expect(source.lastReadCursor == "c2")
        var replay = JournalRecordNormalizer(lastCursor: nil)
        let replayed = ([Fake.record("c1", message: "Failed password for root from 203.0.113.9 port 22 ssh2", identifier: "sshd"),
                         "this is not json"]).map { replay.event(for: $0, readAt: Date()).id }
        #expect(replayed == Array(batch.events.prefix(2).map(\.id)))
    }

    @Test func restartsJournalctlAfterItExitsFromTheLastRecordRead() async throws {
        let fake = try Fake()
        try fake.append([Fake.record("c1"), Fake.record("c2"), Fake.record("c3")])
        try JournalCursorStore(stateDirectory: fake.stateDirectory).save("c1")
        try fake.exitAfterPrinting()
        let source = try JournaldSource(settings: fake.settings, stateDirectory: fake.stateDirectory, logger: testLogger)
        let first = try await source.read(count: 2)
        #expect(first.events.count == 2)
        try fake.append([Fake.record("c4")])
        let second = try await source.read(count: 1)
        #expect(second.mark == "c4")
        let extra = try await source.read(count: 1, timeout: .milliseconds(300))
        #expect(extra.events.isEmpty)  // no repeats after restarts
        #expect(fake.invocations().contains { $0.contains("--after-cursor=c3") })
        #expect(fake.savedCursor() == "c1")  // nothing acknowledged yet
    }

    @Test func anUnknownCursorIsDroppedAfterRepeatedFailures() async throws {
        let fake = try Fake()
        try fake.append([Fake.record("c1"), Fake.record("c2")])
        try JournalCursorStore(stateDirectory: fake.stateDirectory).save("vacuumed")
        var settings = fake.settings
        settings.failuresBeforeReset = 2
        let source = try JournaldSource(settings: settings, stateDirectory: fake.stateDirectory, logger: testLogger)
        let deadline = ContinuousClock.now + .seconds(5)
        while fake.savedCursor() != "c2", ContinuousClock.now < deadline {
            _ = try source.read(limit: 10)
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(fake.savedCursor() == "c2")
        try fake.append([Fake.record("c3")])
        #expect(try await source.read(count: 1).mark == "c3")
    }

    @Test func missingJournalctlIsAClearError() throws {
        let fake = try Fake()
        var settings = fake.settings
        settings.journalctl = fake.directory.file("no-such-journalctl")
        #expect(throws: SystemLogError.self) {
            _ = try JournaldSource(settings: settings, stateDirectory: fake.stateDirectory, logger: testLogger)
        }
        do {
            _ = try JournaldSource.locate("heimdall-no-such-journalctl")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .journalctlMissing)
            #expect(error.description.contains("agent.journald"))
        }
    }
}
