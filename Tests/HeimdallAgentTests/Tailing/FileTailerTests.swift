import Foundation
import Testing
@testable import HeimdallAgent

@Suite struct FileTailerTests {
    @Test func readsCompleteLinesWithPositions() throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("app.log")
        try Files.write(log, "first\nsecond\n")
        let tailer = FileTailer(targets: [.init(path: log)], logger: testLogger)
        let lines = tailer.drain()
        #expect(lines.texts == ["first", "second"])
        #expect(lines.map(\.startOffset) == [0, 6])
        #expect(lines.map(\.endOffset) == [6, 13])
        #expect(lines.allSatisfy { $0.path == log && $0.identity.inode == Files.inode(log) && $0.identity.generation == 0 })
    }

    @Test func startAtEndSkipsExistingContent() throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("app.log")
        try Files.write(log, "old\n")
        let tailer = FileTailer(targets: [.init(path: log, start: .end)], logger: testLogger)
        #expect(tailer.drain().isEmpty)
        try Files.append(log, "new\n")
        #expect(tailer.drain().texts == ["new"])
    }

    @Test func partialLastLineIsHeldUntilCompleted() throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("app.log")
        try Files.write(log, "done\nhal")
        let tailer = FileTailer(targets: [.init(path: log)], logger: testLogger)
        #expect(tailer.drain().texts == ["done"])
        #expect(tailer.drain().isEmpty)
        try Files.append(log, "f line\n")
        let lines = tailer.drain()
        #expect(lines.texts == ["half line"])
        #expect(lines.first?.startOffset == 5 && lines.first?.endOffset == 15)
    }

    @Test func rotationByRenameFinishesOldFileFirst() throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("auth.log")
        try Files.write(log, "a1\n")
        let tailer = FileTailer(targets: [.init(path: log)], rotationGrace: .zero, logger: testLogger)
        #expect(tailer.drain().texts == ["a1"])
        let oldInode = Files.inode(log)
        try Files.append(log, "a2\na3-partial")
        try FileManager.default.moveItem(atPath: log, toPath: dir.file("auth.log.1"))
        try Files.write(log, "b1\n")
        let lines = tailer.drain()
        #expect(lines.texts == ["a2", "a3-partial", "b1"])
        #expect(lines.map(\.identity.inode) == [oldInode, oldInode, Files.inode(log)])
        #expect(lines.map(\.ending) == [.newline, .endOfFile, .newline])
        #expect(lines.last?.startOffset == 0)
        try Files.append(log, "b2\n")
        #expect(tailer.drain().texts == ["b2"])
    }

    @Test func copyTruncateStartsOverWithNewGeneration() throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("app.log")
        try Files.write(log, "one\ntwo\n")
        let tailer = FileTailer(targets: [.init(path: log)], logger: testLogger)
        #expect(tailer.drain().texts == ["one", "two"])
        Files.truncate(log)
        try Files.append(log, "three\n")
        let lines = tailer.drain()
        #expect(lines.texts == ["three"])
        #expect(lines.first?.identity.generation == 1)
        #expect(lines.first?.startOffset == 0)
        #expect(lines.first?.identity.inode == Files.inode(log))
    }

    @Test func deleteAndRecreate() throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("app.log")
        try Files.write(log, "one\n")
        let oldInode = Files.inode(log)
        let tailer = FileTailer(targets: [.init(path: log)], rotationGrace: .zero, logger: testLogger)
        #expect(tailer.drain().texts == ["one"])
        try FileManager.default.removeItem(atPath: log)
        #expect(tailer.drain().isEmpty)
        try Files.write(log, "two\n")
        let lines = tailer.drain()
        #expect(lines.texts == ["two"])
        #expect(lines.first?.startOffset == 0)
        // The file system may hand the freed inode to the new file: ids then stay unique
        // through the generation.
        #expect(lines.first?.identity.generation == (Files.inode(log) == oldInode ? 1 : 0))
        #expect(tailer.errors.isEmpty)
    }

    @Test func linesWrittenToRotatedFileDuringGraceAreKept() async throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("auth.log")
        let rotated = dir.file("auth.log.1")
        try Files.write(log, "a1\n")
        let tailer = FileTailer(targets: [.init(path: log)], rotationGrace: .milliseconds(300), logger: testLogger)
        #expect(tailer.drain().texts == ["a1"])
        try FileManager.default.moveItem(atPath: log, toPath: rotated)
        try Files.write(log, "b1\n")
        #expect(tailer.poll().isEmpty)  // old file at its end, grace running, new file waits
        try Files.append(rotated, "a2 (written before the writer reopened)\n")
        #expect(tailer.poll().texts == ["a2 (written before the writer reopened)"])
        try await Task.sleep(for: .milliseconds(350))
        #expect(tailer.drain().texts == ["b1"])
    }

    @Test func pathsTakeTurns() throws {
        let dir = try TemporaryDirectory()
        let first = dir.file("one.log")
        let second = dir.file("two.log")
        try Files.write(first, String(repeating: "1\n", count: 50))
        try Files.write(second, String(repeating: "2\n", count: 50))
        let tailer = FileTailer(targets: [.init(path: first), .init(path: second)], limits: .init(maxLines: 10), logger: testLogger)
        #expect(tailer.poll().allSatisfy { $0.path == first })
        #expect(tailer.poll().allSatisfy { $0.path == second })
        let all = tailer.drain()
        #expect(all.filter { $0.path == first }.count == 40 && all.filter { $0.path == second }.count == 40)
        #expect(all.resumePositions[first]?.offset == 100 && all.resumePositions[second]?.offset == 100)
    }

    @Test func fileAppearingLaterIsReadFromItsBeginning() throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("late.log")
        let tailer = FileTailer(targets: [.init(path: log, start: .end)], logger: testLogger)
        #expect(tailer.drain().isEmpty)
        #expect(tailer.errors.isEmpty)
        try Files.write(log, "hello\n")
        #expect(tailer.drain().texts == ["hello"])
    }

    @Test func overlongLineIsCutAtOneMebibyte() throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("big.log")
        let mebibyte = 1 << 20
        try Files.write(log, bytes: [UInt8](repeating: UInt8(ascii: "x"), count: mebibyte + 10) + Array("\nnext\n".utf8))
        let tailer = FileTailer(targets: [.init(path: log)], logger: testLogger)
        let lines = tailer.drain()
        #expect(lines.map(\.text.utf8.count) == [mebibyte, 10, 4])
        #expect(lines.map(\.ending) == [.cut, .newline, .newline])
        #expect(lines[1].startOffset == UInt64(mebibyte))
    }

    @Test func pollIsBounded() throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("many.log")
        try Files.write(log, (0..<25).map { "line \($0)\n" }.joined())
        let tailer = FileTailer(targets: [.init(path: log)], limits: .init(maxLines: 10, maxBytes: 1 << 20), logger: testLogger)
        #expect(tailer.poll().count == 10)
        #expect(tailer.poll().count == 10)
        #expect(tailer.poll().texts == (20..<25).map { "line \($0)" })
        let small = FileTailer(targets: [.init(path: log)], limits: .init(maxLines: 1000, maxBytes: 16), logger: testLogger)
        #expect(small.poll().count == 2)
        #expect(small.drain().count == 23)
    }

    @Test func invalidUTF8IsReplacedNotFatal() throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("bin.log")
        try Files.write(log, bytes: [0xC3, 0x28, 0x0A, 0xFF, 0x00, 0x80, 0x0A] + Array("fine\n".utf8))
        let tailer = FileTailer(targets: [.init(path: log)], logger: testLogger)
        let lines = tailer.drain()
        #expect(lines.texts == ["\u{FFFD}(", "\u{FFFD}\u{0}\u{FFFD}", "fine"])
    }

    @Test func directoryPathIsAnErrorAndOthersContinue() throws {
        let dir = try TemporaryDirectory()
        let bad = dir.file("adir")
        try FileManager.default.createDirectory(atPath: bad, withIntermediateDirectories: false)
        let good = dir.file("good.log")
        try Files.write(good, "ok\n")
        let tailer = FileTailer(targets: [.init(path: bad), .init(path: good)], logger: testLogger)
        #expect(tailer.drain().texts == ["ok"])
        #expect(tailer.errors[bad]?.code == .notRegularFile)
        #expect(tailer.errors[good] == nil)
    }

    /// Works as root too (unlike chmod 000): `open` fails with ELOOP on a symlink loop.
    @Test func unopenablePathIsAnErrorOthersContinueAndItRecovers() throws {
        let dir = try TemporaryDirectory()
        let bad = dir.file("loop.log")
        try FileManager.default.createSymbolicLink(atPath: bad, withDestinationPath: bad)
        let good = dir.file("good.log")
        try Files.write(good, "ok\n")
        let tailer = FileTailer(targets: [.init(path: bad), .init(path: good)], logger: testLogger)
        #expect(tailer.drain().texts == ["ok"])
        #expect(tailer.errors[bad] == TailError(code: .open, path: bad, errno: ELOOP))
        try FileManager.default.removeItem(atPath: bad)
        try Files.write(bad, "readable now\n")
        #expect(tailer.drain().texts == ["readable now"])
        #expect(tailer.errors.isEmpty)
    }

    @Test(.enabled(if: geteuid() != 0, "root reads files whatever their mode"))
    func unreadableFileIsAnErrorAndRecovers() throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("secret.log")
        try Files.write(log, "hidden\n")
        chmod(log, 0)
        let tailer = FileTailer(targets: [.init(path: log)], logger: testLogger)
        #expect(tailer.drain().isEmpty)
        #expect(tailer.errors[log]?.code == .open)
        #expect(tailer.errors[log]?.errno == EACCES)
        chmod(log, 0o600)
        #expect(tailer.drain().texts == ["hidden"])
        #expect(tailer.errors.isEmpty)
    }
}
