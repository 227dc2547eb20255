import ArgumentParser
import Foundation
import HeimdallAgent
import HeimdallCLI
import HeimdallProtocol
import Logging

@main
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heimdall-agent",
        abstract: "The Heimdall agent: follows this host's logs and ships them to the hub over mutual TLS.",
        subcommands: [Run.self, Parse.self, Enroll.self]
    )
}

struct Enroll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Enroll this host with a one-time token (generates the key locally).")

    @Option(help: "The token printed by `heimdall-pki enroll`.")
    var token: String

    @Option(name: .customLong("state-dir"), help: "Where the key, certificate and CA are stored.")
    var stateDirectory: String = AgentDefaults.stateDirectory

    func run() async throws {
        try await CommandRunner.run(logLevel: .warning) { _ in
            throw AgentCommandError("token enrollment is not available in this version yet; use `heimdall-pki issue` for an offline bundle")
        }
    }
}

struct Parse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the normalized events the parsers make of log files, without connecting anywhere.")

    @Option(help: "Parser to use (linux.auth, linux.syslog); default: chosen by file name.")
    var source: String?

    @Flag(help: "Print NDJSON, one event per line.")
    var json = false

    @Argument(help: "Log files to parse.")
    var files: [String]

    func validate() throws {
        if let source, AgentParsers.parser(named: source) == nil {
            throw ValidationError("unknown source \(source); known: \(AgentParsers.names.joined(separator: ", "))")
        }
    }

    func run() async throws {
        try await CommandRunner.run(logLevel: .warning) { logger in
            for file in files {
                guard FileManager.default.isReadableFile(atPath: file) else { throw AgentCommandError("cannot read \(file)") }
                let parser = source.flatMap(AgentParsers.parser(named:)) ?? TailingSource.parser(forPath: file)
                for event in LogFileParser.events(in: file, parser: parser, logger: logger) {
                    print(json ? event.jsonValue.jsonText() : Self.line(event))
                }
            }
        }
    }

    static func line(_ event: Event) -> String {
        let fields = event.fields.keys.sorted().map { "\($0)=\(event.fields[$0]?.jsonText() ?? "")" }.joined(separator: " ")
        return "\(RFC3339.format(event.timestamp))  \(event.category.rawValue)/\(event.severity.rawValue)  \(event.source)  \(event.message)  \(fields)"
    }
}

/// The parsers `--source` can name.
enum AgentParsers {
    static let names = ["linux.auth", "linux.syslog"]

    static func parser(named name: String) -> (any LineParser)? {
        switch name {
        case "linux.auth": AuthLogParser()
        case "linux.syslog": SyslogParser()
        default: nil
        }
    }
}

/// A failure of an agent command, as one sentence.
struct AgentCommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
