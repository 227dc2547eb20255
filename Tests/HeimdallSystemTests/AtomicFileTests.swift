import Foundation
import HeimdallSystem
import Testing

@Suite struct AtomicFileTests {
    private func temporaryDirectory() throws -> String {
        var template = Array("\(NSTemporaryDirectory())/heimdall-atomic-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        return String(cString: made)
    }

    @Test func writesAndReplacesContentWithMode() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/state.json"
        try AtomicFile.write(Array("first".utf8), to: path, mode: 0o640)
        #expect(FileManager.default.contents(atPath: path) == Data("first".utf8))
        try AtomicFile.write(Array("second, longer".utf8), to: path, mode: 0o600)
        #expect(FileManager.default.contents(atPath: path) == Data("second, longer".utf8))
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(leftovers == ["state.json"])
    }

    @Test func directoryOfAPath() {
        #expect(AtomicFile.directory(of: "/var/lib/heimdall/host.pem") == "/var/lib/heimdall")
        #expect(AtomicFile.directory(of: "/host.pem") == "/")
        #expect(AtomicFile.directory(of: "host.pem") == ".")
        #expect(AtomicFile.directory(of: "state/host.pem") == "state")
    }

    @Test func emptyContent() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try AtomicFile.write([UInt8](), to: "\(dir)/empty", mode: 0o600)
        #expect(FileManager.default.contents(atPath: "\(dir)/empty") == Data())
    }

    @Test func missingDirectoryFailsWithCode() {
        #expect(throws: AtomicFileError.self) {
            try AtomicFile.write(Array("x".utf8), to: "/nonexistent-heimdall/dir/file", mode: 0o600)
        }
        do {
            try AtomicFile.write(Array("x".utf8), to: "/nonexistent-heimdall/dir/file", mode: 0o600)
        } catch {
            #expect(error.code == .createTemporary && error.errno == ENOENT)
        }
    }

    @Test func renameOverDirectoryFailsAndLeavesNoTemporary() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = "\(dir)/occupied"
        try FileManager.default.createDirectory(atPath: "\(target)/child", withIntermediateDirectories: true)
        do {
            try AtomicFile.write(Array("x".utf8), to: target, mode: 0o600)
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == .rename)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["occupied"])
    }
}
