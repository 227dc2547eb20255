import Foundation
import HeimdallStore
import HeimdallSystem
import HeimdallTestSupport
import Testing

/// `heimdall-agent run --unified-log` as a real process against a fake macOS `log` and a
/// real hub: records streamed, and records written while the agent was killed (found by
/// `log show` from the saved position), become rows exactly once.
@Suite(.serialized) struct UnifiedLogDeliveryTests {
    @Test func unifiedLogRecordsBecomeRowsExactlyOnceAcrossAKilledAgent() async throws {
        let deployment = try await Deployment(name: "unified_kill")
        defer { deployment.remove() }
        let log = try FakeLogCommand(directory: deployment.root + "/unified")
        let bundle = try deployment.pki.hostBundle("mac-01")
        let hub = try deployment.startHub()
        defer { hub.signal(SIGKILL); hub.wait() }
        let arguments = ["--unified-log", "--unified-log-command", log.script, "--status-interval", "0"]
        var agent = try deployment.startAgent(tailing: [], bundle: bundle, extra: arguments)
        try await log.waitForStream()
        try log.append(0..<100)
        #expect(try await deployment.waitForEvents(100) == 100, "\(deployment.log("agent.log"))")
        agent.signal(SIGKILL)
        agent.wait()
        try log.append(100..<250)  // while no agent runs
        agent = try deployment.startAgent(tailing: [], bundle: bundle, extra: arguments)
        defer { agent.signal(SIGTERM); agent.wait() }
        try await log.waitForStream(count: 2)
        try log.append(250..<300)
        #expect(try await deployment.waitForEvents(300) == 300, "\(deployment.log("agent.log"))")
        try await Task.sleep(for: .milliseconds(500))
        let connection = try PostgresConnection(url: deployment.databaseURL)
        let rows = try connection.query("SELECT count(*) AS count, count(DISTINCT raw) AS distinct_raw, min(source) AS source FROM events").first
        #expect(rows?.int("count") == 300)
        #expect(rows?.int("distinct_raw") == 300)
        #expect(rows?.string("source") == "macos.unified")
        #expect(deployment.log("agent.log").contains("unified_log=true"))
    }

    @Test func aMissingLogCommandAndTheWindowsEventLogOffWindowsAreRefused() async throws {
        let deployment = try await Deployment(name: "unified_missing")
        defer { deployment.remove() }
        let bundle = try deployment.pki.hostBundle("mac-01")
        let missing = try deployment.startAgent(
            tailing: [], bundle: bundle, extra: ["--unified-log", "--unified-log-command", deployment.root + "/no-log", "--status-interval", "0"]
        )
        #expect(missing.wait() == 1, "\(deployment.log("agent.log"))")
        #expect(deployment.log("agent.log").contains("cannot collect the unified log"))
        let config = deployment.root + "/agent.toml"
        try "[agent]\nwindows_event_log = true\nunified_log = false\n".write(toFile: config, atomically: true, encoding: .utf8)
        let windows = try deployment.startAgent(tailing: [], bundle: bundle, extra: ["--config", config, "--status-interval", "0"])
        #expect(windows.wait() == 1, "\(deployment.log("agent.log"))")
        #expect(deployment.log("agent.log").contains("works only on Windows"))
    }
}

/// A fake macOS `log` (``FakeLogScript``) over `log.ndjson`: `stream` follows the file from
/// its end until the agent that started it is gone. Invocations go to `calls.log`.
struct FakeLogCommand {
    let directory: String
    var script: String { directory + "/log" }
    var records: String { directory + "/log.ndjson" }

    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: records, contents: nil) else { throw E2EError("cannot create \(records)") }
        let text = FakeLogScript.text(journal: records, calls: directory + "/calls.log", stream: #"exec tail -n 0 -f --pid="$PPID" -s 0.2 "$journal""#)
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
    }

    /// Appends one sshd record per number, each with its own tick count, timestamped now.
    func append(_ numbers: Range<Int>) throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSSSSSxx"
        let now = formatter.string(from: Date())
        let text = numbers.map { number in
            #"{"traceID":4242,"eventMessage":"Failed password for user\#(number) from 203.0.113.9 port \#(1000 + number) ssh2","eventType":"logEvent","subsystem":"com.openssh.sshd","category":"","threadID":77,"bootUUID":"B00T","processImagePath":"/usr/sbin/sshd","timestamp":"\#(now)","machTimestamp":\#(9_000_000_000_000_000 + number),"processID":\#(500 + number)}"# + "\n"
        }.joined()
        guard let handle = FileHandle(forWritingAtPath: records) else { throw E2EError("cannot open \(records)") }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// Waits until `log stream` was started `count` times (and has had time to reach the file's end).
    func waitForStream(count: Int = 1, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while invocations().filter({ $0.first == "stream" }).count < count {
            guard ContinuousClock.now < deadline else { throw E2EError("log stream was never started") }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(300))
    }

    func invocations() -> [[String]] {
        FakeLogScript.invocations(in: (try? String(contentsOfFile: directory + "/calls.log", encoding: .utf8)) ?? "")
    }
}
