import Foundation
import Testing
@testable import HeimdallAgent

/// Simulated restarts: a new tailer built from the positions of the last lines "acknowledged".
@Suite struct CheckpointResumeTests {
    private func positions(_ lines: [TailedLine]) -> [String: FilePosition] {
        var result: [String: FilePosition] = [:]
        for line in lines { result[line.path] = line.resumePosition }
        return result
    }

    @Test func resumesAfterTheLastAcknowledgedLine() throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("auth.log")
        try Files.write(log, "one\ntwo\nthree\n")
        let first = FileTailer(targets: [.init(path: log)], logger: testLogger)
        let lines = first.drain()
        let acknowledged = positions(Array(lines.prefix(2)))  // "three" was never acknowledged
        try Files.append(log, "four\n")
        let second = FileTailer(targets: [.init(path: log, start: .end)], checkpoint: acknowledged, logger: testLogger)
        let again = second.drain()
        #expect(again.texts == ["three", "four"])
        #expect(again.first?.startOffset == lines[2].startOffset)
        #expect(again.first?.identity == lines[2].identity)
    }

    @Test func rotationWhileDownFinishesRotatedFileFirst() throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("auth.log")
        try Files.write(log, "a1\na2\n")
        let first = FileTailer(targets: [.init(path: log)], logger: testLogger)
        let acknowledged = positions(Array(first.drain().prefix(1)))
        // Agent down: more lines, then logrotate renames and a new file starts.
        try Files.append(log, "a3\n")
        try FileManager.default.moveItem(atPath: log, toPath: dir.file("auth.log-20261120"))
        try Files.write(dir.file("auth.log.2"), "unrelated\n")
        try Files.write(log, "b1\n")
        let second = FileTailer(targets: [.init(path: log)], checkpoint: acknowledged, logger: testLogger)
        let lines = second.drain()
        #expect(lines.texts == ["a2", "a3", "b1"])
        #expect(lines.first?.identity == acknowledged[log]?.identity)
        #expect(lines.last?.identity.inode == Files.inode(log))
    }

    @Test func truncationWhileDownStartsNewGeneration() throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("app.log")
        try Files.write(log, "long line one\nlong line two\n")
        let first = FileTailer(targets: [.init(path: log)], logger: testLogger)
        let acknowledged = positions(first.drain())
        Files.truncate(log)
        try Files.append(log, "new\n")
        let second = FileTailer(targets: [.init(path: log)], checkpoint: acknowledged, logger: testLogger)
        let lines = second.drain()
        #expect(lines.texts == ["new"])
        #expect(lines.first?.identity.generation == 1)
        #expect(lines.first?.startOffset == 0)
    }

    @Test func checkpointSurvivesAStoreRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("app.log")
        try Files.write(log, "x\ny\n")
        let first = FileTailer(targets: [.init(path: log)], logger: testLogger)
        let store = CheckpointStore(stateDirectory: dir.path, logger: testLogger)
        try store.save(positions(Array(first.drain().prefix(1))))
        let second = FileTailer(targets: [.init(path: log)], checkpoint: store.load().positions, logger: testLogger)
        #expect(second.drain().texts == ["y"])
    }
}
