import ArgumentParser
import HeimdallCLI

/// `heimdall-audit`: read-only review for auditors.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heimdall-audit",
        abstract: "Read-only review of stored events and hosts.",
        subcommands: [EventsCommand.self, HostsCommand.self, PKICommand.self, VerifyCommand.self]
    )
}

await CommandRunner.main(AuditCommand.self)
