import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Synchronization

/// `--log-level LEVEL` (trace, debug, info, notice, warning, error, critical).
public struct LoggingOptions: ParsableArguments, Sendable {
    /// The level given on the command line, if any.
    @Option(name: .customLong("log-level"), help: ArgumentHelp(
        "Log level: trace, debug, info, notice, warning, error or critical (default: $HEIMDALL_LOG_LEVEL).",
        valueName: "LEVEL"
    ))
    public var logLevel: String?

    /// Creates the group with its defaults (ArgumentParser fills it in).
    public init() {}

    /// Refuses an unknown level (a usage error).
    public func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel.lowercased()) == nil {
            throw ValidationError("unknown log level \"\(logLevel)\"; use trace, debug, info, notice, warning, error or critical")
        }
    }
}

/// Sends swift-log output to standard error. Call once, early, from an executable.
public enum CLILogging {
    /// The environment variable read when `--log-level` is absent.
    public static let environmentVariable = "HEIMDALL_LOG_LEVEL"

    private static let bootstrapped = Mutex(false)

    /// The level to use: the option, else a valid `HEIMDALL_LOG_LEVEL`, else `defaultLevel`
    /// (`.info` for long-running commands, `.warning` for one-shot ones).
    public static func level(
        option: String?, defaultLevel: Logger.Level,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Logger.Level {
        if let option, let level = Logger.Level(rawValue: option.lowercased()) { return level }
        if let text = environment[environmentVariable], let level = Logger.Level(rawValue: text.lowercased()) { return level }
        return defaultLevel
    }

    /// Bootstraps swift-log with a standard-error handler at the resolved level and returns
    /// a logger labelled `label`. Later calls only return a logger.
    @discardableResult
    public static func bootstrap(_ options: LoggingOptions, defaultLevel: Logger.Level, label: String) -> Logger {
        let level = level(option: options.logLevel, defaultLevel: defaultLevel)
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        if first {
            LoggingSystem.bootstrap { name in
                var handler = StreamLogHandler.standardError(label: name)
                handler.logLevel = level
                return handler
            }
        }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
