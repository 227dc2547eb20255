import ArgumentParser
import HeimdallAudit
import HeimdallCLI

/// `heimdall-audit hosts`.
struct HostsCommand: HeimdallCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosts",
        abstract: "Hosts with status (online, stale, offline), last heartbeat, last seen, certificate, agent version and spool figures."
    )

    @OptionGroup var format: FormatOptions
    @OptionGroup var options: AuditOptions

    func execute() async throws {
        let hosts = try await options.withQueries { try await $0.hosts() }
        StandardStreams.writeOutput(HostReport.render(hosts, format: format.format))
    }
}
