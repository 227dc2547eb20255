import ArgumentParser
import HeimdallAudit
import HeimdallCLI

/// `heimdall-pki list`: the certificate inventory.
struct ListCommand: HeimdallCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List certificates: host, serial, SHA-256 fingerprint, not-after, status (active, revoked, expired, superseded), last seen."
    )

    @Flag(help: "Write one JSON document instead of a table.")
    var json = false

    @OptionGroup var options: PKIOptions

    func execute() async throws {
        let entries = try await options.withInventory { try await $0.list() }
        StandardStreams.writeOutput(InventoryReport.render(entries, format: json ? .json : .table))
    }
}
