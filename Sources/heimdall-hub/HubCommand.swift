import ArgumentParser
import Foundation
import HeimdallCLI
import HeimdallHub
import HeimdallStore
import Logging

@main
struct HubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heimdall-hub",
        abstract: "The Heimdall hub: accepts agent sessions over mutual TLS and stores what they send in PostgreSQL.",
        subcommands: [Serve.self, Migrate.self]
    )
}

/// Options shared by the subcommands that open the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "libpq connection string or URI (default: $HEIMDALL_DATABASE_URL, else the embedded cluster).")
    var databaseURL: String?

    @Option(name: .customLong("data-dir"), help: "Directory of the embedded PostgreSQL cluster.")
    var dataDirectory: String?

    var location: DatabaseLocation {
        DatabaseLocation.resolve(databaseURL: databaseURL, dataDirectory: dataDirectory)
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply schema migrations and exit.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await CommandRunner.run(logLevel: .warning) { logger in
            try await EmbeddedDatabase.with(database.location, logger: logger) { url in
                let opened = try await Database.open(Database.Configuration(url: url, poolSize: 1, logger: logger))
                await opened.close()
                print("schema is up to date")
            }
        }
    }
}
