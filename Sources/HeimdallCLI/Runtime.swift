import ArgumentParser
import Dispatch
import Foundation
import Logging

/// Runs a command body with logging set up, turning any operational failure into one
/// clear sentence on stderr and exit status 1 (ArgumentParser's usage errors keep 64).
public enum CommandRunner {
    /// Bootstraps logging (stderr; `HEIMDALL_LOG_LEVEL` overrides `logLevel`) and runs `body`.
    public static func run(logLevel: Logger.Level, _ body: (Logger) async throws -> Void) async throws {
        let level = ProcessInfo.processInfo.environment["HEIMDALL_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? logLevel
        LoggingOnce.bootstrap(level: level)
        let logger = Logger(label: "heimdall")
        do {
            try await body(logger)
        } catch let error as ValidationError {
            throw error
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

private enum LoggingOnce {
    static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// Waits for SIGTERM or SIGINT.
public enum TerminationSignal {
    /// Returns the name of the first termination signal received.
    public static func wait() async -> String {
        await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { once.resume(name) }
                source.resume()
                once.retain(source)
            }
        }
    }
}

private final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<String, Never>?
    private var sources: [any DispatchSourceSignal] = []

    init(_ continuation: CheckedContinuation<String, Never>) { self.continuation = continuation }

    func retain(_ source: any DispatchSourceSignal) {
        lock.withLock { sources.append(source) }
    }

    func resume(_ name: String) {
        let pending = lock.withLock { () -> CheckedContinuation<String, Never>? in
            defer { continuation = nil }
            return continuation
        }
        pending?.resume(returning: name)
    }
}
