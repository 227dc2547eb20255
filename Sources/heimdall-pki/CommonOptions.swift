import ArgumentParser
import HeimdallCLI
import HeimdallPKI
import HeimdallStore
import Logging

/// Options every subcommand shares: the CA directory, the database and logging.
struct PKIOptions: ParsableArguments {
    @Option(name: .customLong("pki-dir"), help: ArgumentHelp("The CA directory (ca.key, ca.pem, hub.key, hub.pem).", valueName: "DIR"))
    var pkiDirectory: String

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    /// Bootstraps logging (default level `warning`) and opens the database (migrated).
    func openInventory() async throws -> CertificateInventory {
        let logger = CLILogging.bootstrap(logging, defaultLevel: .warning, label: "heimdall.pki")
        let location = DatabaseLocation.resolve(databaseURL: database.databaseURL, dataDirectory: database.dataDirectory)
        let url = try location.prepare()
        let opened = try await Database.open(.init(url: url, poolSize: 1, logger: logger))
        return CertificateInventory(database: opened, pkiDirectory: pkiDirectory)
    }
}

extension CertificateInventory {
    /// Runs `body`, then closes the database whatever happened.
    func closing<T>(_ body: (CertificateInventory) async throws -> T) async throws -> T {
        do {
            let value = try await body(self)
            await database.close()
            return value
        } catch {
            await database.close()
            throw error
        }
    }
}

extension RevocationReason: ExpressibleByArgument {}

/// Refuses a non-positive `--days`.
func validateDays(_ days: Int) throws {
    guard days > 0 else { throw ValidationError("--days must be a positive number of days") }
}
