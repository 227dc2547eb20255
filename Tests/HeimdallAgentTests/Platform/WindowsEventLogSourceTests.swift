import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

/// The Windows event log reader above wevtapi.dll, against an event log played in memory:
/// channels and sources, bookmarks saved only on commit, restarts without gap or repeat,
/// failing channels and reads, ids per record.
@Suite(.serialized) struct WindowsEventLogSourceTests {
    private func source(_ log: FakeEventLog, _ directory: TemporaryDirectory, retry: Duration = .milliseconds(50)) throws -> WindowsEventLogSource {
        var settings = WindowsEventLogSource.Settings()
        settings.retryDelay = retry
        return try WindowsEventLogSource(settings: settings, stateDirectory: directory.path, logger: testLogger, api: log)
    }

    @Test func firstRunReadsNewEventsOfEveryChannelWithTheirSources() throws {
        let log = FakeEventLog()
        let directory = try TemporaryDirectory()
        log.write("Security")  // before the first start: not read
        let reader = try source(log, directory)
        #expect(try reader.read(limit: 10) == nil)
        log.write("Security", user: "bob")
        log.write("System", eventID: 7036)
        log.write("Microsoft-Windows-TerminalServices-LocalSessionManager/Operational", eventID: 21)
        let batch = try #require(try reader.read(limit: 10))
        #expect(batch.events.map(\.source).sorted() == ["windows.security", "windows.security", "windows.system"])
        #expect(batch.events.first { $0.source == "windows.security" && $0.category == .auth }?.fields["user"] == .string("bob"))
        #expect(Set(batch.mark.keys) == ["Security", "System", "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"])
        #expect(!batch.events.contains { $0.raw?.contains("\n") == true })
        #expect(log.subscriptions.allSatisfy { $0.after == nil })
        #expect(WindowsBookmarkStore(stateDirectory: directory.path).load().isEmpty)  // nothing committed yet
    }

    @Test func restartsResumeAfterTheCommittedBookmarksWithoutGapOrRepeat() throws {
        let log = FakeEventLog()
        let directory = try TemporaryDirectory()
        var seen: [String] = []
        do {
            let reader = try source(log, directory)
            _ = try reader.read(limit: 10)
            for user in ["a", "b", "c"] { log.write("Security", user: user) }
            let first = try #require(try reader.read(limit: 2))
            let second = try #require(try reader.read(limit: 2))
            seen = (first.events + second.events).map(\.id)
            try reader.commit(first.mark)  // the second batch was not acknowledged
        }
        #expect(WindowsBookmarkStore(stateDirectory: directory.path).load()["Security"]?.contains("RecordId='2'") == true)
        log.write("Security", user: "d")
        let restarted = try source(log, directory)
        let again = try #require(try restarted.read(limit: 10))
        #expect(again.events.map { $0.fields["user"] } == [.string("c"), .string("d")])
        #expect(again.events.first?.id == seen.last)  // the unacknowledged one, again with its id
        #expect(log.subscriptions.last { $0.channel == "Security" }?.after == 2)
        #expect(try restarted.read(limit: 10) == nil)
    }

    @Test func aFailingChannelIsRetriedWhileTheOthersAreRead() async throws {
        let log = FakeEventLog()
        let directory = try TemporaryDirectory()
        log.failingChannels = ["Security"]
        let reader = try source(log, directory)
        #expect(try reader.read(limit: 10) == nil)
        log.write("System", eventID: 7036)
        #expect(try reader.read(limit: 10)?.events.count == 1)
        log.failingChannels = []
        try await Task.sleep(for: .milliseconds(80))
        #expect(try reader.read(limit: 10) == nil)  // subscribed now, from then on
        log.write("Security")
        #expect(try reader.read(limit: 10)?.events.map(\.source) == ["windows.security"])
    }

    @Test func aFailedRenderReadsTheTakenEventsAgain() async throws {
        let log = FakeEventLog()
        let directory = try TemporaryDirectory()
        let reader = try source(log, directory)
        _ = try reader.read(limit: 10)
        log.write("Application", eventID: 1000)
        let before = try #require(try reader.read(limit: 10))
        try reader.commit(before.mark)
        log.write("Application", eventID: 1000, user: "x")
        log.write("Application", eventID: 1000, user: "y")
        log.renderFailures = 1
        #expect(try reader.read(limit: 10) == nil)
        try await Task.sleep(for: .milliseconds(80))
        let retried = try #require(try reader.read(limit: 10))
        #expect(retried.events.count == 2)
        #expect(retried.mark["Application"]?.contains("RecordId='3'") == true)
    }

    @Test func handlesAreClosedAndIdsFollowTheRecord() throws {
        let log = FakeEventLog()
        let directory = try TemporaryDirectory()
        do {
            let reader = try source(log, directory)
            _ = try reader.read(limit: 10)
            log.write("Security")
            _ = try reader.read(limit: 10)
        }
        #expect(log.openHandles == 0)
        let normalizer = WindowsEventNormalizer(channel: WindowsEventChannel.defaults[0])
        let xml = try #require(log.channels["Security"]?.first)
        let event = normalizer.event(forXML: xml, readAt: Date())
        #expect(normalizer.event(forXML: xml.replacingOccurrences(of: "><", with: ">\r\n<"), readAt: Date()).id == event.id)
        #expect(normalizer.event(forXML: xml.replacingOccurrences(of: "<EventRecordID>1<", with: "<EventRecordID>2<"), readAt: Date()).id != event.id)
        #expect(normalizer.event(forXML: "not xml", readAt: Date()).category == .other)
        #expect(WindowsEventNormalizer.element("EventRecordID", in: xml) == "1")
    }

    @Test func theDefaultInitializerIsWindowsOnly() throws {
        #if !os(Windows)
        let directory = try TemporaryDirectory()
        #expect(throws: SystemLogError.self) { _ = try WindowsEventLogSource(stateDirectory: directory.path, logger: testLogger) }
        #endif
        #expect(WindowsEventChannel.defaults.map(\.path) == [
            "Security", "System", "Application", "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational",
        ])
    }
}
