import ArgumentParser
import CMalloc
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallAgent
import HeimdallCLI
import HeimdallProtocol
import Logging
import NIOCore

/// `heimdall-agent`: follows this host's logs and ships them to the hub.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heimdall-agent",
        abstract: "The Heimdall agent: follows this host's logs and ships them to the hub over mutual TLS.",
        subcommands: [Run.self, Parse.self, Enroll.self]
    )
}

struct Enroll: HeimdallCommand {
    static let configuration = CommandConfiguration(abstract: "Enroll this host with a one-time token (generates the key locally).")

    @Option(help: "The token printed by `heimdall-pki enroll`.")
    var token: String

    @Option(name: .customLong("state-dir"), help: "Where the key, certificate and CA are stored (default \(AgentDefaults.stateDirectory)).")
    var stateDirectory: String = AgentDefaults.stateDirectory

    @OptionGroup var logging: LoggingOptions

    func execute() async throws {
        let logger = CLILogging.bootstrap(logging, defaultLevel: .warning, label: "heimdall.agent")
        let result: AgentEnrollment
        do {
            result = try await Enroller.enroll(token: token, stateDirectory: stateDirectory, logger: logger)
        } catch let error as AgentEnrollmentError {
            throw CommandError("enrollment failed: \(error)")
        } catch let error as ProtocolError {
            throw CommandError("enrollment failed: \(error)")
        }
        StandardStreams.writeOutput("""
            enrolled \(result.host): certificate \(result.serial), valid until \(RFC3339.format(result.notAfter))
              key (generated here, mode 0600): \(result.keyPath)
              certificate: \(result.certificatePath)
              CA: \(result.caPath)
              hub session address \(result.hub): \(result.hubPath)
            next: heimdall-agent run --state-dir \(stateDirectory) --tail /var/log/auth.log

            """)
    }
}

struct Parse: HeimdallCommand {
    static let configuration = CommandConfiguration(abstract: "Print the normalized events the parsers make of log files, without connecting anywhere.")

    @Option(help: ArgumentHelp("Parser to use: \(AgentParsers.names.joined(separator: ", ")); default: chosen per file (name, then content).", valueName: "NAME"))
    var source: String?

    @Flag(help: "Print NDJSON, one event per line.")
    var json = false

    @Flag(help: "Print only the number of events per category (for checking a format, and for measuring parser throughput).")
    var summary = false

    @Argument(help: "Log files to parse.")
    var files: [String]

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let source, AgentParsers.parser(named: source) == nil {
            throw ValidationError("unknown source \(source); known: \(AgentParsers.names.joined(separator: ", "))")
        }
    }

    func execute() async throws {
        let logger = CLILogging.bootstrap(logging, defaultLevel: .warning, label: "heimdall.agent")
        var counts: [String: Int] = [:]
        var pending: [UInt8] = []  // output is written in blocks of about 64 KiB, not a write per event
        for file in files {
            guard FileManager.default.isReadableFile(atPath: file) else { throw CommandError("cannot read \(file)") }
            let parser = source.flatMap(AgentParsers.parser(named:)) ?? TailingSource.parser(forPath: file)
            LogFileParser.forEachEvent(in: file, parser: parser, logger: logger) { event in
                if summary {
                    counts[event.category.rawValue, default: 0] += 1
                    return
                }
                if json {
                    EventNDJSON.append(event, to: &pending)
                } else {
                    pending.append(contentsOf: (Self.line(event) + "\n").utf8)
                }
                if pending.count >= 1 << 16 {
                    StandardStreams.writeOutput(String(decoding: pending, as: UTF8.self))
                    pending.removeAll(keepingCapacity: true)
                }
            }
        }
        if !pending.isEmpty { StandardStreams.writeOutput(String(decoding: pending, as: UTF8.self)) }
        if summary {
            let lines = counts.sorted { $0.key < $1.key }.map { "\($0.key)\t\($0.value)\n" }.joined()
            StandardStreams.writeOutput(lines + "total\t\(counts.values.reduce(0, +))\n")
        }
    }

    static func line(_ event: Event) -> String {
        let fields = event.fields.keys.sorted().map { "\($0)=\(event.fields[$0]?.jsonText() ?? "")" }.joined(separator: " ")
        return "\(RFC3339.format(event.timestamp))  \(event.category.rawValue)/\(event.severity.rawValue)  \(event.source)  \(event.message)  \(fields)"
    }
}

/// The parsers `--source` can name: every source of ``ParserCatalog``.
enum AgentParsers {
    static let names = ParserCatalog.names

    static func parser(named name: String) -> (any LineParser)? {
        ParserCatalog.parser(named: name)
    }
}

// Footprint (docs/PERFORMANCE.md, "Agent tailing 1,000 lines/s"), set before any thread
// starts. One malloc arena: glibc gives each thread that allocates its own (up to 8 per
// core), which cost the agent 2 MiB of RSS. One event loop and one blocking thread serve one
// hub connection and a status reading per interval; NIO's default is one of each per core.
#if canImport(Glibc)
_ = mallopt(M_ARENA_MAX, 1)
#endif
NIOSingletons.groupLoopCountSuggestion = 1
NIOSingletons.blockingPoolThreadCountSuggestion = 1
await CommandRunner.main(AgentCommand.self)
