import ArgumentParser
import HeimdallAudit
import HeimdallCLI
import HeimdallProtocol

/// `heimdall-audit events`.
struct EventsCommand: HeimdallCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Events, oldest first, with the certificate serial and fingerprint that delivered each."
    )

    @Option(help: ArgumentHelp("Only this host.", valueName: "H"))
    var host: String?

    @Option(help: ArgumentHelp("Only this category.", valueName: "C"))
    var category: EventCategory?

    @Option(help: ArgumentHelp("Only events at or after this time: a duration ago (15m, 24h, 7d) or RFC 3339.", valueName: "DURATION_OR_TIME"))
    var since: TimeArgument?

    @Option(help: ArgumentHelp("Only events before this time: a duration ago or RFC 3339.", valueName: "T"))
    var until: TimeArgument?

    @Option(help: ArgumentHelp("At most N events.", valueName: "N"))
    var limit: Int?

    @OptionGroup var format: FormatOptions
    @OptionGroup var options: AuditOptions

    func validate() throws {
        if let limit, limit <= 0 { throw ValidationError("--limit must be a positive number") }
    }

    func execute() async throws {
        let filter = EventFilter(
            host: host?.lowercased(), category: category, since: since?.date(), until: until?.date(), limit: limit
        )
        let events = try await options.withQueries { try await $0.events(filter) }
        StandardStreams.writeOutput(EventReport.render(events, format: format.format))
    }
}
