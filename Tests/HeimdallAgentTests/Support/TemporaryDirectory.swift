import Foundation
import HeimdallAgent
import Logging

/// A directory under /tmp removed when released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("\(NSTemporaryDirectory())/heimdall-agent-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { "\(path)/\(name)" }
}

enum Files {
    static func write(_ path: String, _ text: String) throws {
        try write(path, bytes: Array(text.utf8))
    }

    static func write(_ path: String, bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func append(_ path: String, _ text: String) throws {
        try append(path, bytes: Array(text.utf8))
    }

    static func append(_ path: String, bytes: [UInt8]) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileNoSuchFile) }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
    }

    /// Truncates in place (what logrotate's copytruncate does after copying).
    static func truncate(_ path: String) {
        _ = Foundation.truncate(path, 0)
    }

    static func inode(_ path: String) -> UInt64 {
        var info = stat()
        _ = stat(path, &info)
        return UInt64(info.st_ino)
    }
}

extension FileTailer {
    /// Polls until a poll returns nothing (bounded, for tests).
    func drain(maxPolls: Int = 1000) -> [TailedLine] {
        var all: [TailedLine] = []
        for _ in 0..<maxPolls {
            let lines = poll()
            if lines.isEmpty { return all }
            all.append(contentsOf: lines)
        }
        return all
    }
}

extension Array where Element == TailedLine {
    var texts: [String] { map(\.text) }
}

let testLogger = Logger(label: "heimdall.agent.tests")
