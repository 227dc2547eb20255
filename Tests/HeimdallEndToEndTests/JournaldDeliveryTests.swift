import Foundation
import HeimdallTestSupport
import HeimdallStore
import HeimdallSystem
import Testing

/// `heimdall-agent run --journald` as a real process against a fake `journalctl` and a real
/// hub: records appended to the journal become rows exactly once, though the agent is
/// killed with SIGKILL mid-stream and restarted from its saved cursor.
@Suite(.serialized) struct JournaldDeliveryTests {
    @Test func journalRecordsBecomeRowsExactlyOnceAcrossKilledAgents() async throws {
        let deployment = try await Deployment(name: "journald_kill")
        defer { deployment.remove() }
        let journal = try FakeJournal(directory: deployment.root + "/journal")
        let bundle = try deployment.pki.hostBundle("web-01")
        let hub = try deployment.startHub()
        defer { hub.signal(SIGKILL); hub.wait() }
        let arguments = ["--journald", "--journalctl", journal.script, "--status-interval", "0"]
        var agent = try deployment.startAgent(tailing: [], bundle: bundle, extra: arguments)
        // The first run starts at the end of the journal: write once it follows.
        try await journal.waitForFollower()
        try journal.append(0..<200)
        #expect(try await deployment.waitForEvents(200) == 200, "\(deployment.log("agent.log"))")

        for round in 1...3 {
            try journal.append((round * 1000)..<(round * 1000 + 300))
            try await Task.sleep(for: .milliseconds(Int64(60 * round)))
            agent.signal(SIGKILL)
            agent.wait()
            agent = try deployment.startAgent(tailing: [], bundle: bundle, extra: arguments)
        }
        defer { agent.signal(SIGTERM); agent.wait() }
        #expect(try await deployment.waitForEvents(1100) == 1100, "\(deployment.log("agent.log"))")
        try await Task.sleep(for: .milliseconds(500))
        let connection = try PostgresConnection(url: deployment.databaseURL)
        let rows = try connection.query("SELECT count(*) AS count, count(DISTINCT raw) AS distinct_raw, min(source) AS source FROM events").first
        #expect(rows?.int("count") == 1100)
        #expect(rows?.int("distinct_raw") == 1100)
        #expect(rows?.string("source") == "linux.journald")
        #expect(journal.invocations().contains { $0.contains("--after-cursor=") }, "\(journal.invocations())")
        let cursor = try String(contentsOfFile: deployment.root + "/agent-state/journald.cursor", encoding: .utf8)
        #expect(cursor.hasPrefix("c"))
    }

    @Test func aMissingJournalctlIsACommandError() async throws {
        let deployment = try await Deployment(name: "journald_missing")
        defer { deployment.remove() }
        let agent = try deployment.startAgent(
            tailing: [], bundle: try deployment.pki.hostBundle("web-01"),
            extra: ["--journald", "--journalctl", deployment.root + "/no-journalctl", "--status-interval", "0"]
        )
        #expect(agent.wait() == 1, "\(deployment.log("agent.log"))")
        #expect(deployment.log("agent.log").contains("cannot collect the journal"))
    }
}

/// A fake `journalctl` over `journal.ndjson`, the way the journald collector calls it:
/// `-n 1` prints the newest record; `--follow` prints the records after `--after-cursor`
/// (or all) and follows the file with `tail -f`, until the agent that started it is gone
/// (`--pid`, so a killed agent leaves nothing behind). Invocations go to `calls.log`.
struct FakeJournal {
    let directory: String
    var script: String { directory + "/journalctl" }
    var journal: String { directory + "/journal.ndjson" }

    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: journal, contents: nil) else { throw E2EError("cannot create \(journal)") }
        try FakeJournalctlScript.text(
            journal: journal, calls: directory + "/calls.log", follow: #"exec tail -n "+$start" -f --pid="$PPID" -s 0.2 "$journal""#
        ).write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
    }

    /// Appends one sshd record per number, cursor `c<number>`.
    func append(_ numbers: Range<Int>) throws {
        let text = numbers.map { number in
            #"{"__CURSOR":"c\#(number)","__REALTIME_TIMESTAMP":"1763720102000000","_HOSTNAME":"web-01","SYSLOG_IDENTIFIER":"sshd","_PID":"\#(number)","PRIORITY":"6","MESSAGE":"Failed password for user\#(number) from 203.0.113.9 port \#(1000 + number) ssh2"}"# + "\n"
        }.joined()
        guard let handle = FileHandle(forWritingAtPath: journal) else { throw E2EError("cannot open \(journal)") }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// Waits until the collector runs `journalctl --follow`.
    func waitForFollower(timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !invocations().contains(where: { $0.contains("--follow") }) {
            guard ContinuousClock.now < deadline else { throw E2EError("journalctl --follow was never started") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func invocations() -> [String] {
        ((try? String(contentsOfFile: directory + "/calls.log", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
