import ArgumentParser
import HeimdallCLI
import HeimdallStore

struct Migrate: HeimdallCommand {
    static let configuration = CommandConfiguration(abstract: "Apply schema migrations and exit.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func execute() async throws {
        let logger = CLILogging.bootstrap(logging, defaultLevel: .warning, label: "heimdall.hub")
        let location = DatabaseLocation.resolve(databaseURL: database.databaseURL, dataDirectory: database.dataDirectory)
        let versions = try await EmbeddedDatabase.withDatabase(location, logger: logger) { opened in
            try await opened.withConnection { try Migrations.appliedVersions(on: $0) }
        }
        StandardStreams.writeOutput("Schema is up to date (versions \(versions.map(String.init).joined(separator: ", "))).\n")
    }
}
