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

/// The macOS unified log as an ``EventSource``: runs `log stream --style ndjson` limited to
/// the processes ``MacUnifiedLogParser`` classifies (``ChildProcess``, standard output
/// through a non-blocking pipe), and turns each record into an event with ids derived from
/// the entry (see ``UnifiedLogRecordNormalizer``).
///
/// No gap across restarts: the position (the second) of the last record the hub
/// acknowledged is kept in `<state dir>/unified-log.position`. Each start runs
/// `log stream` first, then `log show --start <position>` and sends what that finds before
/// the stream's records; what both report, and the rest of the saved second, are sent
/// again with the same ids, so the hub keeps one copy. On the first run (no position file)
/// the start time is saved at once, so records written after it are never skipped.
///
/// When `log stream` exits it is started again after ``Settings/restartDelay`` (doubling
/// up to ``Settings/maximumRestartDelay`` while it exits without output), caught up from
/// the last record read. The platform-neutral code only spawns a command, so it runs (and
/// is tested) on Linux with a fake `log`; it is on by default only on macOS.
///
/// ``read(limit:)`` never blocks on `log`. Used from the shipper's actor only.
public final class UnifiedLogSource: EventSource {
    /// The position of the last record of a batch; `nil` when no record in it had one.
    public typealias Mark = String?

    /// How `log` is run.
    public struct Settings: Sendable, Hashable {
        /// The `log` executable: a path, or a name looked up in `PATH`.
        public var executable = "/usr/bin/log"
        /// The processes whose records are read (`--predicate 'process IN {...}'`).
        public var processes = UnifiedLogCommand.defaultProcesses
        /// Wait before starting `log stream` again after it exited.
        public var restartDelay: Duration = .seconds(1)
        /// Longest wait between restarts while `log stream` keeps failing.
        public var maximumRestartDelay: Duration = .seconds(60)

        /// The defaults: `/usr/bin/log`, the classified processes, 1 s restart delay doubling up to 60 s.
        public init() {}
    }

    /// The position file's name inside the state directory.
    public static let positionFileName = "unified-log.position"

    private let settings: Settings
    private let executable: String
    private let predicate: String
    private let store: StateLineFile
    private let stderrPath: String
    private let logger: Logger
    private var normalizer: UnifiedLogRecordNormalizer
    private var catchUp: ChildLineReader?
    private var live: ChildLineReader?
    private var schedule: RestartSchedule
    private var committed: String?

    /// Loads the saved position; `log` starts on the first ``read(limit:)``.
    ///
    /// - Throws: ``SystemLogError`` with ``SystemLogError/Code/unifiedLogMissing`` when the
    ///   executable cannot be found.
    public init(settings: Settings = Settings(), stateDirectory: String, logger: Logger) throws(SystemLogError) {
        self.settings = settings
        self.executable = try Self.locate(settings.executable)
        self.predicate = UnifiedLogCommand.predicate(processes: settings.processes)
        self.store = StateLineFile(stateDirectory: stateDirectory, fileName: Self.positionFileName)
        self.stderrPath = stateDirectory + "/unified-log.stderr"
        self.logger = logger
        self.schedule = RestartSchedule(initialDelay: settings.restartDelay, maximumDelay: settings.maximumRestartDelay)
        let saved = store.load()
        self.committed = saved
        self.normalizer = UnifiedLogRecordNormalizer(position: saved)
    }

    deinit { stop() }

    /// The absolute path of the `log` executable, or a ``SystemLogError`` saying it is missing.
    public static func locate(_ executable: String = Settings().executable) throws(SystemLogError) -> String {
        do {
            return try ChildProcess.resolve(executable, environment: nil)
        } catch {
            throw SystemLogError(
                code: .unifiedLogMissing,
                detail: "\(executable) not found; unified-log collection needs macOS's log command (turn agent.unified_log off elsewhere)"
            )
        }
    }

    /// The position reading resumes from (the last record read, acknowledged or not).
    public var lastReadPosition: String? { normalizer.position }

    public func read(limit: Int) throws -> (events: [Event], mark: Mark)? {
        if live == nil, schedule.isDue() {
            start()
        }
        guard let reader = catchUp ?? live else { return nil }
        reader.pump(until: limit)
        let now = Date()
        let events = reader.take(limit).compactMap { normalizer.event(for: $0, readAt: now) }
        if reader.isFinished {
            if reader === catchUp { caughtUp(reader) } else { exited(reader) }
        }
        return events.isEmpty ? nil : (events, normalizer.position)
    }

    public func commit(_ mark: Mark) throws {
        guard let position = mark, position != committed else { return }
        do {
            try store.save(position)
        } catch {
            throw SystemLogError(code: .progressSaveFailed, detail: "\(store.path): \(error)")
        }
        committed = position
    }

    /// Stops `log` (SIGTERM, then reaps it). Reading starts it again.
    public func stop() {
        catchUp?.stop()
        catchUp = nil
        live?.stop()
        live = nil
    }

    private func start() {
        schedule.started()
        if normalizer.position == nil {
            let now = UnifiedLogCommand.position(of: Date())
            normalizer = UnifiedLogRecordNormalizer(position: now)
            do {
                try commit(now)
            } catch {
                logger.error("cannot save the unified-log position", metadata: ["error": "\(error)"])
            }
        }
        _ = truncate(stderrPath, 0)
        do {
            live = try ChildLineReader(executable: executable, arguments: UnifiedLogCommand.stream(predicate: predicate), standardError: stderrPath)
        } catch {
            schedule.startFailed()
            logger.error("cannot start log stream", metadata: ["error": "\(error)"])
            return
        }
        guard let position = normalizer.position else { return }
        do {
            catchUp = try ChildLineReader(
                executable: executable, arguments: UnifiedLogCommand.show(predicate: predicate, from: position), standardError: stderrPath
            )
            logger.info("log stream started; catching up with log show", metadata: ["from": "\(position)"])
        } catch {
            logger.error("cannot start log show; records since the position may be missing", metadata: ["from": "\(position)", "error": "\(error)"])
        }
    }

    private func caughtUp(_ finished: ChildLineReader) {
        catchUp = nil
        guard finished.exitStatus != 0 else { return }
        logger.error("log show failed; records before the stream started may be missing", metadata: [
            "status": "\(finished.exitStatus ?? -1)", "stderr": "\(ChildStandardError.tail(stderrPath))",
        ])
    }

    private func exited(_ finished: ChildLineReader) {
        live = nil
        let delay = schedule.exited(producedOutput: finished.producedOutput)
        logger.warning("log stream exited; restarting", metadata: [
            "status": "\(finished.exitStatus ?? -1)", "in": "\(delay)", "stderr": "\(ChildStandardError.tail(stderrPath))",
            "position": "\(normalizer.position ?? "none")",
        ])
    }
}
