import Foundation
import HeimdallProtocol
import HeimdallTestSupport
@testable import HeimdallAgent

/// A fake macOS `log` (``FakeLogScript``) over `log.ndjson` in a temporary directory:
/// `log stream` follows the records appended from then on (`tail -f`), or exits after the
/// banner once `exit-stream` exists. Invocations go to `calls.log`.
struct FakeUnifiedLog {
    let directory: TemporaryDirectory
    var script: String { directory.file("log") }
    var journal: String { directory.file("log.ndjson") }
    var calls: String { directory.file("calls.log") }
    var stateDirectory: String { directory.file("state") }

    init() throws {
        directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        try Files.write(journal, "")
        let exitStream = directory.file("exit-stream")
        let stream = #"if [ -e '\#(exitStream)' ]; then exit 1; fi; exec tail -n 0 -f "$journal""#
        try Files.write(script, FakeLogScript.text(journal: journal, calls: calls, stream: stream))
        chmod(script, 0o755)
    }

    var settings: UnifiedLogSource.Settings {
        var settings = UnifiedLogSource.Settings()
        settings.executable = script
        settings.restartDelay = .milliseconds(20)
        settings.maximumRestartDelay = .milliseconds(100)
        return settings
    }

    /// A sshd record with its own `machTimestamp`, at `second` (`2026-11-20 10:15:SS`).
    static func record(_ tick: UInt64, second: Int = 2, message: String? = nil) -> String {
        let text = message ?? "Failed password for user\(tick) from 203.0.113.9 port \(1000 + tick % 50_000) ssh2"
        return macRecord("/usr/sbin/sshd", text, timestamp: String(format: "2026-11-20 10:15:%02d.%06d+0100", second, Int(tick % 1_000_000)))
            .replacingOccurrences(of: #""machTimestamp":123456789"#, with: #""machTimestamp":\#(tick)"#)
    }

    func append(_ lines: [String]) throws {
        try Files.append(journal, lines.map { $0 + "\n" }.joined())
    }

    func exitStream() throws {
        try Files.write(directory.file("exit-stream"), "")
    }

    /// Each invocation's arguments.
    func invocations() -> [[String]] {
        FakeLogScript.invocations(in: (try? String(contentsOfFile: calls, encoding: .utf8)) ?? "")
    }

    func savedPosition() -> String? {
        StateLineFile(stateDirectory: stateDirectory, fileName: UnifiedLogSource.positionFileName).load()
    }
}

extension UnifiedLogSource {
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
