import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallAgent
import HeimdallCLI
import HeimdallProtocol
import Logging

/// Defaults shared by the subcommands.
enum AgentDefaults {
    static let stateDirectory = "/var/lib/heimdall-agent"
}

struct Run: HeimdallCommand {
    static let configuration = CommandConfiguration(abstract: "Collect and ship events until SIGTERM or SIGINT.")

    @Option(help: "Configuration file (see config/agent.example.toml).")
    var config: String?

    @Option(name: .customLong("state-dir"), help: "Progress, certificate and key (default \(AgentDefaults.stateDirectory)).")
    var stateDirectory: String?

    @Option(help: "The hub's session listener, ADDR:PORT (default: the address stored at enrollment).")
    var hub: String?

    @Option(help: "Host certificate (PEM); default <state-dir>/host.pem.")
    var cert: String?

    @Option(help: "Host private key (PEM, mode 0600); default <state-dir>/host.key.")
    var key: String?

    @Option(help: "The Heimdall CA certificate (PEM); default <state-dir>/ca.pem.")
    var ca: String?

    @Option(name: .customLong("tail"), help: "A log file to follow (repeatable).")
    var tailPaths: [String] = []

    @Option(name: .customLong("status-interval"), help: "Seconds between system-status snapshots (default 60; 0 sends none).")
    var statusInterval: Int?

    @Option(name: .customLong("spool-size"), help: "Most bytes the on-disk spool may hold, e.g. 256MiB or 2GiB (default 256MiB); the oldest records are dropped beyond it.")
    var spoolSize: String?
    @Flag(help: "Also collect the systemd journal (journalctl -o json --follow, resumed from <state-dir>/journald.cursor).")
    var journald = false

    @Option(help: "The journalctl executable --journald runs: a path, or a name looked up in PATH (default journalctl).")
    var journalctl: String?

    @Flag(
        name: .customLong("unified-log"), inversion: .prefixedNo,
        help: "Collect the macOS unified log (log stream --style ndjson, caught up with log show from <state-dir>/unified-log.position). Default: on on macOS, off elsewhere."
    )
    var unifiedLog: Bool?

    @Option(name: .customLong("unified-log-command"), help: "The log executable --unified-log runs (default /usr/bin/log).")
    var unifiedLogCommand: String?

    @OptionGroup var logging: LoggingOptions

    func execute() async throws {
        let logger = CLILogging.bootstrap(logging, defaultLevel: .info, label: "heimdall.agent")
        do {
            let configuration = try AgentSettings.configuration(
                file: try config.map { path throws(ConfigError) in try ConfigFile(path: path) }, command: self
            )
            logger.info("agent starting", metadata: [
                "hub": "\(configuration.hubHost):\(configuration.hubPort)", "files": "\(configuration.tailPaths)",
                "status_interval": "\(configuration.statusInterval.map { "\($0)" } ?? "off")",
                "spool_size": "\(configuration.spoolSize)",
                "journald": "\(configuration.journald != nil)",
                "unified_log": "\(configuration.unifiedLog != nil)",
            ])
            let agent = try Agent(configuration: configuration, logger: logger)
            let running = Task { await agent.run() }
            let stopper = Task {
                let signal = await TerminationSignal.wait()
                logger.info("received \(signal); saying bye to the hub")
                await agent.leave()
                try await Task.sleep(for: .seconds(5))
                running.cancel()
            }
            await running.value
            stopper.cancel()
        }
    }
}

/// Turns the configuration file and the command line into an ``AgentConfiguration`` (the
/// command line wins).
enum AgentSettings {
    static let knownKeys: Set<String> = [
        "agent.hub", "agent.server_name", "agent.state_dir", "agent.cert", "agent.key", "agent.ca", "agent.tail", "agent.batch_size",
        "agent.status_interval", "agent.spool_size", "agent.journald", "agent.journalctl", "agent.unified_log",
        "agent.unified_log_command", "agent.windows_event_log",
    ]

    static func configuration(file: ConfigFile?, command: Run) throws -> AgentConfiguration {
        try file?.checkKeys(knownKeys)
        let state = try command.stateDirectory ?? file?.string("agent.state_dir") ?? AgentDefaults.stateDirectory
        let stored = try? String(contentsOfFile: state + "/hub", encoding: .utf8).trimmingCharacters(where: \.isWhitespace)
        guard let hubText = try command.hub ?? file?.string("agent.hub") ?? stored else {
            throw UsageError("--hub ADDR:PORT is required (no hub address was stored at enrollment)")
        }
        guard let colon = hubText.lastIndex(of: ":"), let port = Int(hubText[hubText.index(after: colon)...]), (1...65_535).contains(port) else {
            throw UsageError("invalid hub address \(hubText); expected ADDR:PORT")
        }
        var host = String(hubText[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let tails = command.tailPaths.isEmpty ? (try file?.strings("agent.tail") ?? []) : command.tailPaths
        if let seconds = command.statusInterval, seconds < 0 {
            throw UsageError("--status-interval must be 0 (off) or a number of seconds")
        }
        let configuredSeconds = try file?.value("agent.status_interval", expected: "0 (off) or a number of seconds") { value -> Int? in
            if case .integer(let seconds) = value, seconds >= 0 { return seconds }
            return nil
        }
        let statusSeconds = command.statusInterval ?? configuredSeconds ?? 60
        let configuredJournald = try file?.bool("agent.journald") ?? false
        let journald = try command.journald || configuredJournald ? Self.journald(file: file, command: command) : nil
        let unifiedLog = try command.unifiedLog ?? file?.bool("agent.unified_log") ?? PlatformDefaults.unifiedLog
            ? Self.unifiedLog(file: file, command: command) : nil
        let windowsEventLog = try Self.windowsEventLog(file: file)
        guard !tails.isEmpty || statusSeconds > 0 || journald != nil || unifiedLog != nil || windowsEventLog != nil else {
            throw UsageError("nothing to collect: give at least one --tail PATH, --journald, --unified-log or a --status-interval above 0")
        }
        var configuration = AgentConfiguration(
            hubHost: host, hubPort: port,
            certificatePath: try command.cert ?? file?.string("agent.cert") ?? state + "/host.pem",
            privateKeyPath: try command.key ?? file?.string("agent.key") ?? state + "/host.key",
            caPath: try command.ca ?? file?.string("agent.ca") ?? state + "/ca.pem",
            stateDirectory: state, tailPaths: tails
        )
        configuration.hubServerName = try file?.string("agent.server_name")
        configuration.statusInterval = statusSeconds > 0 ? .seconds(statusSeconds) : nil
        configuration.journald = journald
        configuration.unifiedLog = unifiedLog
        configuration.windowsEventLog = windowsEventLog
        if let batch = try file?.integer("agent.batch_size") {
            guard batch >= 1 else { throw ConfigError(path: file?.path ?? "", line: nil, key: "agent.batch_size", message: "must be at least 1") }
            configuration.batchSize = batch
        }
        if let text = command.spoolSize {
            guard let bytes = ByteSizeParser.bytes(text), bytes >= 1_048_576 else {
                throw UsageError("--spool-size must be a size of at least 1MiB, e.g. 256MiB or 2GiB")
            }
            configuration.spoolSize = bytes
        } else if let bytes = try file?.value("agent.spool_size", expected: "a size of at least 1MiB, e.g. \"256MiB\" or a number of bytes", { value -> Int? in
            switch value {
            case .integer(let bytes): bytes >= 1_048_576 ? bytes : nil
            case .string(let text): ByteSizeParser.bytes(text).flatMap { $0 >= 1_048_576 ? $0 : nil }
            default: nil
            }
        }) {
            configuration.spoolSize = bytes
        }
        return configuration
    }

    /// The journald settings, after checking that `journalctl` exists.
    static func journald(file: ConfigFile?, command: Run) throws -> JournaldSource.Settings {
        var settings = JournaldSource.Settings()
        settings.journalctl = try command.journalctl ?? file?.string("agent.journalctl") ?? settings.journalctl
        do {
            _ = try JournaldSource.locate(settings.journalctl)
        } catch {
            throw CommandError("cannot collect the journal: \(error)")
        }
        return settings
    }

    /// The unified-log settings, after checking that the `log` executable exists.
    static func unifiedLog(file: ConfigFile?, command: Run) throws -> UnifiedLogSource.Settings {
        var settings = UnifiedLogSource.Settings()
        settings.executable = try command.unifiedLogCommand ?? file?.string("agent.unified_log_command") ?? settings.executable
        do {
            _ = try UnifiedLogSource.locate(settings.executable)
        } catch {
            throw CommandError("cannot collect the unified log: \(error)")
        }
        return settings
    }

    /// The Windows event log settings: on by default on Windows; elsewhere turning it on is an error.
    static func windowsEventLog(file: ConfigFile?) throws -> WindowsEventLogSource.Settings? {
        guard try file?.bool("agent.windows_event_log") ?? PlatformDefaults.windowsEventLog else { return nil }
        guard PlatformDefaults.windowsEventLog else {
            throw CommandError("cannot collect the Windows event log: agent.windows_event_log works only on Windows")
        }
        return WindowsEventLogSource.Settings()
    }
}

/// The sources that are on unless configured off, per platform.
enum PlatformDefaults {
    #if os(macOS)
    static let unifiedLog = true
    #else
    static let unifiedLog = false
    #endif
    #if os(Windows)
    static let windowsEventLog = true
    #else
    static let windowsEventLog = false
    #endif
}
