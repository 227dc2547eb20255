import ArgumentParser
import HeimdallAudit
import HeimdallCLI

/// `heimdall-audit pki`.
struct PKICommand: HeimdallCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki",
        abstract: "The append-only PKI audit log: init, issue, renewal, revoke, refused attempts, suspected clones."
    )

    @Option(help: "Only entries about this host.")
    var host: String?

    @OptionGroup var format: FormatOptions
    @OptionGroup var options: AuditOptions

    func execute() async throws {
        let entries = try await options.withQueries { try await $0.pkiLog(host: host) }
        StandardStreams.writeOutput(PKIAuditReport.render(entries, format: format.format))
    }
}
