import Foundation
import HeimdallProtocol
import HeimdallTestSupport
@testable import HeimdallAgent

/// A fake `journalctl`: a shell script serving the records in `journal.ndjson` (one JSON
/// line each) the way the collector calls it — `-n 1` prints the newest record;
/// `--follow` prints the records after `--after-cursor` (or all) and then follows the file
/// with `tail -f`, or exits when `exit-after-print` exists. An unknown cursor fails with
/// status 1 like the real one. Every invocation is appended to `calls.log`.
struct FakeJournalctl {
    let directory: TemporaryDirectory
    var script: String { directory.file("journalctl") }
    var journal: String { directory.file("journal.ndjson") }
    var calls: String { directory.file("calls.log") }
    var stateDirectory: String { directory.file("state") }

    init() throws {
        directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("state"), withIntermediateDirectories: true)
        try Files.write(journal, "")
        try Files.write(script, FakeJournalctlScript.text(journal: journal, calls: calls, follow: """
            if [ -e '\(directory.file("exit-after-print"))' ]; then tail -n "+$start" "$journal"; exit 3; fi
            exec tail -n "+$start" -f "$journal"
            """))
        chmod(script, 0o755)
    }

    var settings: JournaldSource.Settings {
        var settings = JournaldSource.Settings()
        settings.journalctl = script
        settings.restartDelay = .milliseconds(20)
        settings.maximumRestartDelay = .milliseconds(100)
        return settings
    }

    /// A record line with cursor `cursor`.
    static func record(_ cursor: String, message: String = "hello", identifier: String = "app") -> String {
        #"{"__CURSOR":"\#(cursor)","__REALTIME_TIMESTAMP":"1763720102000000","_HOSTNAME":"web1","SYSLOG_IDENTIFIER":"\#(identifier)","_PID":"42","PRIORITY":"6","MESSAGE":"\#(message)"}"#
    }

    func append(_ lines: [String]) throws {
        try Files.append(journal, lines.map { $0 + "\n" }.joined())
    }

    func exitAfterPrinting() throws {
        try Files.write(directory.file("exit-after-print"), "")
    }

    func invocations() -> [String] {
        ((try? String(contentsOfFile: calls, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func savedCursor() -> String? {
        JournalCursorStore(stateDirectory: stateDirectory).load()
    }
}

extension JournaldSource {
    /// Reads until `count` events arrived or `timeout` passed; the events and the last mark.
    func read(count: Int, timeout: Duration = .seconds(5)) async throws -> (events: [Event], mark: String?) {
        var events: [Event] = []
        var mark: String?
        let deadline = ContinuousClock.now + timeout
        while events.count < count, ContinuousClock.now < deadline {
            if let batch = try read(limit: count - events.count) {
                events.append(contentsOf: batch.events)
                mark = batch.mark ?? mark
            } else {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        return (events, mark)
    }
}
