import ArgumentParser
import HeimdallCLI
import HeimdallPKI
import HeimdallStore
import Logging

/// Options every subcommand shares: the CA directory, the database and logging.
struct PKIOptions: ParsableArguments {
    @Option(name: .customLong("pki-dir"), help: ArgumentHelp("The CA directory (ca.pem, intermediate.key, intermediate.pem, hub.key, hub.pem; root.key only where kept).", valueName: "DIR"))
    var pkiDirectory: String

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    /// Bootstraps logging, opens the database, runs `body` with the inventory, closes it.
    func withInventory<T>(_ body: (CertificateInventory) async throws -> T) async throws -> T {
        let logger = CLILogging.bootstrap(logging, defaultLevel: .warning, label: "heimdall.pki")
        let location = DatabaseLocation.resolve(databaseURL: database.databaseURL, dataDirectory: database.dataDirectory)
        return try await EmbeddedDatabase.withDatabase(location, logger: logger) { opened in
            try await body(CertificateInventory(database: opened, pkiDirectory: pkiDirectory))
        }
    }
}

extension RevocationReason: ExpressibleByArgument {}

/// Refuses a non-positive `--days`.
func validateDays(_ days: Int) throws {
    guard days > 0 else { throw ValidationError("--days must be a positive number of days") }
}
