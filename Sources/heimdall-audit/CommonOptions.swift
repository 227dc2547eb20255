import ArgumentParser
import HeimdallAudit
import HeimdallCLI
import HeimdallProtocol
import HeimdallStore

/// The database and logging options of every subcommand.
struct AuditOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    /// Bootstraps logging (default `warning`), opens the database, runs `body`, closes it (and
    /// stops the embedded cluster if this command started it).
    func withQueries<T>(_ body: (AuditQueries) async throws -> T) async throws -> T {
        let logger = CLILogging.bootstrap(logging, defaultLevel: .warning, label: "heimdall.audit")
        let location = DatabaseLocation.resolve(databaseURL: database.databaseURL, dataDirectory: database.dataDirectory)
        return try await EmbeddedDatabase.withDatabase(location, logger: logger) { opened in
            try await body(AuditQueries(database: opened))
        }
    }
}

/// `--json` / `--csv` (table by default).
struct FormatOptions: ParsableArguments {
    @Flag(help: "Write one JSON document (an array of objects).")
    var json = false

    @Flag(help: "Write RFC 4180 CSV with a header row.")
    var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv exclude each other") }
    }

    var format: AuditFormat { json ? .json : csv ? .csv : .table }
}

extension EventCategory: ExpressibleByArgument {}
