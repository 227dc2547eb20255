import ArgumentParser
import Foundation
import HeimdallBench
import HeimdallCLI
import HeimdallProtocol
import HeimdallStore

/// `heimdall-bench`: load generator and baselines (docs/PERFORMANCE.md).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heimdall-bench",
        abstract: "Measure the hub against PostgreSQL's own limit: load, baseline. Targets 127.0.0.1 only; every mode stops by itself.",
        subcommands: [Load.self, Idle.self, Storm.self, Baseline.self, Codec.self]
    )
}

/// A short random run id (8 hex digits) naming this run's hosts and events.
func newRunID() -> String {
    String(UInt32.random(in: 0...UInt32.max), radix: 16).leftPadded(to: 8)
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

struct Baseline: HeimdallCommand {
    static let configuration = CommandConfiguration(abstract: "Write generated events straight into the schema: the store's batch path and one COPY.")

    @Option(help: "Rows per path.") var rows = 100_000
    @Option(name: .customLong("batch"), help: "Rows per transaction on the store path.") var batchSize = 500
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func execute() async throws {
        let logger = CLILogging.bootstrap(logging, defaultLevel: .warning, label: "heimdall.bench")
        let location = DatabaseLocation.resolve(databaseURL: database.databaseURL, dataDirectory: database.dataDirectory)
        let result = try await EmbeddedDatabase.withDatabase(location, logger: logger) { opened in
            try await BaselineRunner.run(database: opened, rows: rows, batchSize: batchSize, run: newRunID())
        }
        StandardStreams.writeOutput(BaselineReport.text(result, batchSize: batchSize) + "\n")
    }
}

/// Options shared by `load` and `idle`.
struct SessionOptions: ParsableArguments {
    @Option(help: "The hub's session listener (127.0.0.1 only).") var hub = "127.0.0.1:7443"
    @Option(name: .customLong("pki-dir"), help: "The CA directory (certificates are issued in bulk).") var pkiDirectory: String
    @Option(help: "Concurrent sessions.") var sessions = 100
    @Option(help: "Seconds to run for.") var duration = 10
    @Option(name: .customLong("hub-pid"), help: "The hub's process id, for its CPU and peak RSS.") var hubPID: Int32?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard hub.hasPrefix("127.") || hub.hasPrefix("localhost:") else { throw ValidationError("--hub must be a loopback address (127.0.0.0/8)") }
        guard sessions >= 1, duration >= 1 else { throw ValidationError("--sessions and --duration must be positive") }
    }

    /// Runs `plan` (hub address, sessions and duration filled in here) and prints the report.
    func run(_ adjust: (inout LoadRunner.Plan) -> Void) async throws {
        let logger = CLILogging.bootstrap(logging, defaultLevel: .notice, label: "heimdall.bench")
        guard let colon = hub.lastIndex(of: ":"), let port = Int(hub[hub.index(after: colon)...]) else {
            throw UsageError("--hub must be ADDR:PORT")
        }
        var plan = LoadRunner.Plan()
        plan.hubHost = String(hub[..<colon])
        plan.hubPort = port
        plan.sessions = sessions
        plan.duration = .seconds(duration)
        adjust(&plan)
        let location = DatabaseLocation.resolve(databaseURL: database.databaseURL, dataDirectory: database.dataDirectory)
        let run = newRunID()
        let result = try await EmbeddedDatabase.withDatabase(location, logger: logger) { opened in
            try await LoadRunner.run(plan, pkiDirectory: pkiDirectory, run: run, database: opened, hubPID: hubPID, logger: logger)
        }
        StandardStreams.writeOutput(LoadReport.text(result, plan: plan, run: run) + "\n")
    }
}

struct Idle: HeimdallCommand {
    static let configuration = CommandConfiguration(abstract: "N sessions that only heartbeat: the hub's memory per session and CPU.")

    @OptionGroup var options: SessionOptions
    @Option(help: "Seconds between heartbeats.") var heartbeat = 30

    func execute() async throws {
        try await options.run { $0.heartbeatOnly = .seconds(heartbeat) }
    }
}

struct Load: HeimdallCommand {
    static let configuration = CommandConfiguration(abstract: "N concurrent agent sessions, each with its own certificate, sending batches for T seconds.")

    @OptionGroup var options: SessionOptions
    @Option(name: .customLong("batch"), help: "Events per frame.") var batchSize = 500
    @Option(help: "Frames per second per session (default: as fast as the window allows).") var rate: Double?
    @Option(name: .customLong("pause-database"), help: ArgumentHelp(
        "Backpressure check: AFTER:SECONDS holds an exclusive lock on events from AFTER s into the run for SECONDS s.",
        valueName: "AFTER:SECONDS"
    )) var pauseDatabase: String?
    @Option(name: .customLong("baseline-rows"), help: "Rows of the same-run baseline written before the sessions start, for the hub / baseline ratio (0 skips it).")
    var baselineRows = 200_000

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch must be positive") }
        if let pauseDatabase { _ = try Self.pause(pauseDatabase) }
        guard baselineRows >= 0 else { throw ValidationError("--baseline-rows must be 0 or more") }
    }

    static func pause(_ text: String) throws -> DatabasePause {
        let parts = text.split(separator: ":").map { Int($0) }
        guard parts.count == 2, let after = parts[0], let length = parts[1], after >= 0, length >= 1 else {
            throw ValidationError("--pause-database must be AFTER:SECONDS, e.g. 5:10")
        }
        return DatabasePause(after: .seconds(after), length: .seconds(length))
    }

    func execute() async throws {
        let pause = try pauseDatabase.map(Self.pause)
        try await options.run { plan in
            plan.databasePause = pause
            plan.baselineRows = baselineRows
            plan.batchSize = batchSize
            plan.framesPerSecond = rate
        }
    }
}

struct Storm: HeimdallCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a hub, connect N agents, kill the hub (SIGKILL), restart it, and time until every agent is back."
    )

    @Option(name: .customLong("pki-dir"), help: "The CA directory (certificates are issued in bulk; the hub uses it too).") var pkiDirectory: String
    @Option(help: "Agents.") var sessions = 100
    @Option(help: "Port the bench's hub listens on (127.0.0.1).") var port = 17443
    @Option(name: .customLong("hub-binary"), help: "heimdall-hub to run (default: the one beside this program).") var hubBinary: String?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func execute() async throws {
        let logger = CLILogging.bootstrap(logging, defaultLevel: .notice, label: "heimdall.bench")
        let binary = hubBinary ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("heimdall-hub").path
        let location = DatabaseLocation.resolve(databaseURL: database.databaseURL, dataDirectory: database.dataDirectory)
        let run = newRunID()
        let result = try await EmbeddedDatabase.with(location, logger: logger) { url in
            var plan = StormRunner.Plan()
            plan.hubPort = port
            plan.sessions = sessions
            plan.hubLog = NSTemporaryDirectory() + "heimdall-bench-storm-\(run).log"
            plan.hubCommand = [
                binary, "serve", "--pki-dir", pkiDirectory, "--listen", "127.0.0.1:\(port)", "--enroll-listen", "off", "--database-url", url,
            ]
            return try await StormRunner.run(plan, pkiDirectory: pkiDirectory, run: run, logger: logger)
        }
        StandardStreams.writeOutput(StormReport.text(result) + "\n")
    }
}

struct Codec: HeimdallCommand {
    static let configuration = CommandConfiguration(abstract: "Micro-benchmarks: frame decoder, JSON parser, decoding with validation, JSON writer.")

    @Option(name: .customLong("events"), help: "Events per frame.") var eventsPerFrame = 500
    @Option(help: "Seconds per measurement.") var seconds = 2

    func execute() async throws {
        let measurements = CodecBenchmark.run(eventsPerFrame: eventsPerFrame, duration: .seconds(seconds))
        StandardStreams.writeOutput(CodecBenchmark.report(measurements, eventsPerFrame: eventsPerFrame) + "\n")
    }
}

await CommandRunner.main(BenchCommand.self)
