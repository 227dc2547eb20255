import Foundation
import Testing
@testable import HeimdallAgent

/// The pieces the journald and unified-log readers share: line splitting, restart
/// backoff, the one-line progress file, the child line reader.
struct ChildOutputTests {
    @Test func linesAreSplitAcrossChunksWithCRLFAndOverlongLinesCut() {
        var buffer = OutputLineBuffer(maximumLineBytes: 8)
        buffer.append(Array("one\r\ntw".utf8))
        #expect(buffer.take(10) == ["one"])
        buffer.append(Array("o\n\n0123456789".utf8))
        #expect(buffer.take(1) == ["two"])
        #expect(buffer.take(10) == ["01234567"])
        buffer.finish()
        #expect(buffer.take(10) == ["89"])
        #expect(buffer.count == 0)
    }

    @Test func restartsBackOffWhileQuietAndStartOverAfterOutput() {
        var schedule = RestartSchedule(initialDelay: .milliseconds(100), maximumDelay: .milliseconds(500))
        let now = ContinuousClock.now
        #expect(schedule.isDue(at: now))
        let delays = (0..<5).map { _ in schedule.exited(producedOutput: false, at: now) }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(500), .milliseconds(500)])
        #expect(!schedule.isDue(at: now) && schedule.isDue(at: now + .milliseconds(500)))
        #expect(schedule.quietExits == 5)
        #expect(schedule.exited(producedOutput: true, at: now) == .milliseconds(100))
        schedule.startFailed(at: now)
        #expect(schedule.restartAt == now + .milliseconds(500))
        schedule.started()
        #expect(schedule.isDue(at: now))
    }

    @Test func theProgressLineIsReplacedDurablyWithMode0600() throws {
        let directory = try TemporaryDirectory()
        let file = StateLineFile(stateDirectory: directory.path + "/", fileName: "x.position")
        #expect(file.path == directory.file("x.position"))
        #expect(file.load() == nil)
        try file.save("2026-11-20 10:15:02+0100")
        try file.save("2026-11-20 10:15:03+0100")
        #expect(file.load() == "2026-11-20 10:15:03+0100")
        var info = stat()
        #expect(stat(file.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        try Files.write(file.path, " \n")
        #expect(file.load() == nil)
    }

    @Test func theReaderHandsOverWhatAChildWroteAndItsExitStatus() async throws {
        let reader = try ChildLineReader(executable: "/bin/sh", arguments: ["-c", "printf 'a\\nb\\npartial'; exit 3"], standardError: nil)
        var lines: [String] = []
        let deadline = ContinuousClock.now + .seconds(5)
        while !reader.isFinished, ContinuousClock.now < deadline {
            reader.pump(until: 10)
            lines += reader.take(10)
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(lines == ["a", "b", "partial"])
        #expect(reader.exitStatus == 3)
        #expect(reader.producedOutput)
        let endless = try ChildLineReader(executable: "/bin/sleep", arguments: ["30"], standardError: nil)
        endless.pump(until: 10)
        #expect(!endless.isFinished)
        endless.stop()
        #expect(endless.exitStatus == 128 + SIGTERM)
    }

    @Test func bookmarksRoundTripAndAnUnreadableFileMeansNone() throws {
        let directory = try TemporaryDirectory()
        let store = WindowsBookmarkStore(stateDirectory: directory.path)
        #expect(store.load().isEmpty)
        let bookmarks = ["Security": "<BookmarkList><Bookmark Channel='Security' RecordId='7' IsCurrent='true'/></BookmarkList>"]
        try store.save(bookmarks)
        #expect(store.load() == bookmarks)
        try Files.write(store.path, "{not json")
        #expect(store.load().isEmpty)
        #expect(throws: SystemLogError.self) { try WindowsBookmarkStore(stateDirectory: directory.file("missing/dir")).save(bookmarks) }
    }
}
