import ArgumentParser
import Foundation
import HeimdallCLI
import Testing

private struct Probe: ParsableCommand {
    @Option var since: TimeArgument?
    @Option var ttl: DurationArgument?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions
}

private struct Multiline: Error, CustomStringConvertible {
    var description: String { "first line\n  second   line" }
}

@Suite struct CommandFailureTests {
    @Test func sentenceIsOneLineWithFullStop() {
        #expect(CommandFailure.sentence(for: Multiline()) == "first line second line.")
        #expect(CommandFailure.sentence(for: CommandError("host x is unknown")) == "host x is unknown.")
        #expect(CommandFailure.sentence(for: CommandError("Done!")) == "Done!")
        #expect(CommandFailure.sentence("No such file or directory..") == "No such file or directory.")
        #expect(CommandFailure.sentence("wait...") == "wait...")
        #expect(CommandFailure.sentence(for: CancellationError()) == "The operation was interrupted.")
    }

    @Test func fileErrorsNamePathAndReason() {
        let path = "/nonexistent-heimdall/agent.toml"
        do {
            _ = try Data(contentsOf: URL(fileURLWithPath: path))
            Issue.record("read \(path)")
        } catch {
            #expect(CommandFailure.sentence(for: error) == "could not read \(path): No such file or directory.")
        }
        #expect(CommandFailure.sentence(for: CocoaError(.fileWriteNoPermission)) == "could not write a file: permission denied.")
    }

    @Test func operationalErrorsExitOne() {
        let mapped = CommandFailure.report(CommandError("boom"))
        #expect((mapped as? ExitCode) == ExitCode(1))
    }

    @Test func usageErrorsExitSixtyFour() {
        #expect((CommandFailure.report(UsageError("bad")) as? ExitCode) == ExitCode(64))
        let validation = ValidationError("bad")
        #expect(CommandFailure.report(validation) is ValidationError)
        #expect(Probe.exitCode(for: validation) == ExitCode(64))
    }

    @Test func badValuesAreUsageErrors() {
        for arguments in [["--since", "yesterday"], ["--ttl", "5x"], ["--log-level", "loud"], ["--bogus"]] {
            do {
                _ = try Probe.parse(arguments)
                Issue.record("parsed \(arguments)")
            } catch {
                #expect(Probe.exitCode(for: error) == ExitCode(64), "\(arguments)")
            }
        }
    }

    @Test func databaseOptionsDefaults() throws {
        let probe = try Probe.parse(["--since", "7d", "--database-url", "host=/tmp dbname=x"])
        #expect(probe.database.databaseURL == "host=/tmp dbname=x")
        #expect(probe.database.dataDirectory == nil)
        #expect(probe.since == .ago(604_800))
    }

    @Test func logLevelPrecedence() {
        #expect(CLILogging.level(option: "debug", defaultLevel: .info, environment: ["HEIMDALL_LOG_LEVEL": "error"]) == .debug)
        #expect(CLILogging.level(option: nil, defaultLevel: .info, environment: ["HEIMDALL_LOG_LEVEL": "error"]) == .error)
        #expect(CLILogging.level(option: nil, defaultLevel: .warning, environment: ["HEIMDALL_LOG_LEVEL": "nope"]) == .warning)
        #expect(CLILogging.level(option: nil, defaultLevel: .info, environment: [:]) == .info)
    }

    @Test func jsonOutputIsOneDocument() {
        #expect(JSONOutput.text(.object(["b": .null, "a": .string("x\ny")])) == "{\"a\":\"x\\ny\",\"b\":null}\n")
    }
}
