#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HeimdallProtocol
import HeimdallSystem
import Logging

/// The journald collector as an ``EventSource``: runs `journalctl -o json --all --follow`
/// (``ChildProcess``, standard output through a non-blocking pipe), turns each record into
/// an event with ``JournaldParser`` (ids from the record's `__CURSOR`), and persists the
/// cursor of the last acknowledged record in `<state dir>/journald.cursor`.
///
/// Where reading starts:
/// - with a saved cursor: `--after-cursor=<saved>`, so a restart has no gap and no repeat;
/// - on the first run (no cursor file): at the **end** of the journal. The cursor of the
///   newest record (`journalctl -o json -n 1`) is saved at once, so records written after
///   the first start are never skipped, even if the agent dies before the first ack; the
///   history before it is not sent (the same history is usually in the tailed files). An
///   empty journal is followed from its beginning.
///
/// When `journalctl` exits, it is started again after ``Settings/restartDelay`` (doubling
/// up to ``Settings/maximumRestartDelay`` while it exits without output), from the last
/// record read. After ``Settings/failuresBeforeReset`` such exits in a row with a saved
/// cursor (e.g. a cursor the journal no longer knows), the cursor is dropped and reading
/// starts at the end again, with an error in the log.
///
/// ``read(limit:)`` never blocks on `journalctl` (the first start runs one short
/// `journalctl -n 1`). Used from the shipper's actor only.
public final class JournaldSource: EventSource {
    /// The cursor of the last record of a batch; `nil` when the batch had no record with one.
    public typealias Mark = String?

    /// How `journalctl` is run.
    public struct Settings: Sendable, Hashable {
        /// The `journalctl` executable: a path, or a name looked up in `PATH`.
        public var journalctl = "journalctl"
        /// Wait before starting `journalctl` again after it exited.
        public var restartDelay: Duration = .seconds(1)
        /// Longest wait between restarts while `journalctl` keeps failing.
        public var maximumRestartDelay: Duration = .seconds(60)
        /// Exits without output in a row (with a saved cursor) before the cursor is dropped.
        public var failuresBeforeReset = 5

        /// The defaults: `journalctl` from `PATH`, 1 s restart delay doubling up to 60 s.
        public init() {}
    }

    private let settings: Settings
    private let executable: String
    private let store: JournalCursorStore
    private let stderrPath: String
    private let logger: Logger
    private var normalizer: JournalRecordNormalizer
    private var reader: ChildLineReader?
    private var schedule: RestartSchedule
    private var committed: String?

    /// Loads the saved cursor; `journalctl` starts on the first ``read(limit:)``.
    ///
    /// - Throws: ``SystemLogError`` with ``SystemLogError/Code/journalctlMissing`` when
    ///   `journalctl` cannot be found.
    public init(settings: Settings = Settings(), stateDirectory: String, logger: Logger) throws(SystemLogError) {
        self.settings = settings
        self.executable = try Self.locate(settings.journalctl)
        self.store = JournalCursorStore(stateDirectory: stateDirectory)
        self.stderrPath = stateDirectory + "/journalctl.stderr"
        self.logger = logger
        self.schedule = RestartSchedule(initialDelay: settings.restartDelay, maximumDelay: settings.maximumRestartDelay)
        let saved = store.load()
        self.committed = saved
        self.normalizer = JournalRecordNormalizer(lastCursor: saved)
    }

    deinit { stop() }

    /// The absolute path of `journalctl`, or a ``SystemLogError`` saying it is missing.
    public static func locate(_ journalctl: String = "journalctl") throws(SystemLogError) -> String {
        do {
            return try ChildProcess.resolve(journalctl, environment: nil)
        } catch {
            throw SystemLogError(
                code: .journalctlMissing,
                detail: "\(journalctl) not found in PATH; journald collection needs systemd's journalctl (turn agent.journald off on hosts without it)"
            )
        }
    }

    /// The cursor reading resumes after (the last record read, acknowledged or not).
    public var lastReadCursor: String? { normalizer.lastCursor }

    public func read(limit: Int) throws -> (events: [Event], mark: Mark)? {
        if reader == nil, schedule.isDue() {
            start()
        }
        guard let reader else { return nil }
        reader.pump(until: limit)
        let lines = reader.take(limit)
        let now = Date()
        let events = lines.map { normalizer.event(for: $0, readAt: now) }
        if reader.isFinished { exited(reader) }
        return events.isEmpty ? nil : (events, normalizer.lastCursor)
    }

    public func commit(_ mark: Mark) throws {
        guard let cursor = mark, cursor != committed else { return }
        try store.save(cursor)
        committed = cursor
    }

    /// Stops `journalctl` (SIGTERM, then reaps it). Reading starts it again.
    public func stop() {
        reader?.stop()
        reader = nil
    }

    private func exited(_ finished: ChildLineReader) {
        reader = nil
        let quiet = !finished.producedOutput
        let delay = schedule.exited(producedOutput: finished.producedOutput)
        logger.warning("journalctl exited; restarting", metadata: [
            "status": "\(finished.exitStatus ?? -1)", "in": "\(delay)", "stderr": "\(ChildStandardError.tail(stderrPath))", "cursor": "\(normalizer.lastCursor ?? "none")",
        ])
        if quiet, schedule.quietExits >= settings.failuresBeforeReset, normalizer.lastCursor != nil {
            logger.error("journalctl keeps failing from the saved cursor; starting at the end of the journal (records in between are not sent)", metadata: [
                "cursor": "\(normalizer.lastCursor ?? "")", "failures": "\(schedule.quietExits)",
            ])
            normalizer = JournalRecordNormalizer(lastCursor: nil)
            committed = nil
            schedule.forgetQuietExits()
        }
    }

    private func start() {
        schedule.started()
        if normalizer.lastCursor == nil, let newest = newestCursor() {
            normalizer = JournalRecordNormalizer(lastCursor: newest)
            do {
                try commit(newest)
            } catch {
                logger.error("cannot save the journald cursor", metadata: ["error": "\(error)"])
            }
        }
        var arguments = ["-o", "json", "--all", "--follow", "--no-pager"]
        if let cursor = normalizer.lastCursor {
            arguments.append("--after-cursor=\(cursor)")
        } else {
            arguments.append("--lines=all")
        }
        _ = truncate(stderrPath, 0)
        do {
            reader = try ChildLineReader(executable: executable, arguments: arguments, standardError: stderrPath)
            logger.info("journalctl started", metadata: ["from": "\(normalizer.lastCursor.map { "after \($0)" } ?? "the beginning")"])
        } catch {
            schedule.startFailed()
            logger.error("cannot start journalctl", metadata: ["error": "\(SystemLogError(code: .spawnFailed, detail: "\(error)"))"])
        }
    }

    /// The cursor of the newest record (`journalctl -o json -n 1`), `nil` for an empty journal.
    private func newestCursor() -> String? {
        guard let result = try? ChildProcess.run(executable, ["-o", "json", "--all", "--no-pager", "-n", "1"]) else { return nil }
        return result.output.split(separator: "\n").reversed().lazy
            .compactMap { ClassifiedLine.jsonObject(String($0))?["__CURSOR"]?.stringValue }.first
    }
}
