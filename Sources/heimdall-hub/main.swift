import ArgumentParser
import HeimdallCLI

/// `heimdall-hub`: accepts agent sessions and stores what they send.
struct HubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heimdall-hub",
        abstract: "The Heimdall hub: accepts agent sessions over mutual TLS and stores what they send in PostgreSQL.",
        subcommands: [Serve.self, Migrate.self]
    )
}

await CommandRunner.main(HubCommand.self)
