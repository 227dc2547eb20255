import Foundation
import HeimdallSystem
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ChildProcessTests {
    @Test func capturesOutputAndExitStatus() throws {
        let result = try ChildProcess.run("sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(result.status == 3)
        #expect(result.output.contains("out"))
        #expect(result.output.contains("err"))
    }

    @Test func absolutePathAndEnvironment() throws {
        let result = try ChildProcess.run("/bin/sh", ["-c", "printf %s \"$GREETING\""], environment: ["GREETING": "hé\tllo", "PATH": "/usr/bin:/bin"])
        #expect(result.status == 0)
        #expect(result.output == "hé\tllo")
    }

    @Test func missingCommandThrowsNotFound() {
        #expect(throws: ChildProcessError.self) { try ChildProcess.run("heimdall-no-such-command-xyz") }
        do {
            _ = try ChildProcess.run("/nonexistent/tool")
        } catch let error as ChildProcessError {
            #expect(error.code == .notFound)
            #expect(error.description.contains("/nonexistent/tool"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func stdinIsDevNullAndDescriptorsAreClosed() throws {
        let extra = open("/dev/null", O_RDONLY)
        defer { close(extra) }
        let result = try ChildProcess.run("sh", ["-c", "cat; ls /proc/self/fd | sort -n | tr '\\n' ' '"])
        #expect(result.status == 0)
        let descriptors = result.output.split(separator: " ").compactMap { Int($0) }
        #expect(!descriptors.contains(Int(extra)) || extra <= 3)
        #expect(descriptors.filter { $0 > 3 }.isEmpty)
    }

    @Test func signalEndsAChild() throws {
        let child = try ChildProcess.spawn("sleep", ["30"])
        #expect(child.pid > 0)
        #expect(child.signal(SIGTERM))
        #expect(child.wait() == 128 + SIGTERM)
        #expect(child.wait() == 128 + SIGTERM)
        #expect(!child.signal(SIGTERM))
    }

    @Test func outputToFileAndWorkingDirectory() throws {
        let path = NSTemporaryDirectory() + "childprocess-\(getpid()).txt"
        defer { unlink(path) }
        let child = try ChildProcess.spawn("pwd", output: .file(path), workingDirectory: "/tmp")
        #expect(child.wait() == 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == "/tmp\n")
    }

    @Test func runsAsAnotherUserWhenRoot() throws {
        guard geteuid() == 0 else { return }
        let result = try ChildProcess.run("id", ["-un"], user: "postgres", workingDirectory: "/")
        #expect(result.status == 0)
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "postgres")
    }
}
