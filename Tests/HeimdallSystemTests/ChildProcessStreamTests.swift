import Foundation
import HeimdallSystem
import Testing

/// `.stream` output: standard output read without blocking while the child runs, standard
/// error kept apart in a file, exit status reaped without blocking.
@Suite struct ChildProcessStreamTests {
    @Test func readsOutputWithoutBlockingAndKeepsStandardErrorApart() async throws {
        let errors = NSTemporaryDirectory() + "heimdall-stream-\(UUID().uuidString).err"
        defer { try? FileManager.default.removeItem(atPath: errors) }
        let child = try ChildProcess.spawn("sh", ["-c", "echo one; echo oops >&2; sleep 0.3; echo two; exit 4"], output: .stream(standardError: errors))
        var text = ""
        var sawWouldBlock = false
        let deadline = ContinuousClock.now + .seconds(5)
        reading: while ContinuousClock.now < deadline {
            switch child.readOutput() {
            case .bytes(let bytes): text += String(decoding: bytes, as: UTF8.self)
            case .wouldBlock:
                sawWouldBlock = true
                try await Task.sleep(for: .milliseconds(10))
            case .endOfFile: break reading
            }
        }
        #expect(text == "one\ntwo\n")
        #expect(sawWouldBlock)
        var status = child.exitStatusIfExited()
        while status == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
            status = child.exitStatusIfExited()
        }
        #expect(status == 4)
        #expect(child.wait() == 4)
        #expect(try String(contentsOfFile: errors, encoding: .utf8) == "oops\n")
    }

    @Test func runningChildHasNoExitStatusYet() throws {
        let child = try ChildProcess.spawn("sleep", ["5"], output: .stream(standardError: nil))
        #expect(child.exitStatusIfExited() == nil)
        #expect(child.signal(SIGTERM))
        #expect(child.wait() == 128 + SIGTERM)
    }
}
