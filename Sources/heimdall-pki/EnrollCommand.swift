import ArgumentParser
import HeimdallCLI
import HeimdallPKI

/// `heimdall-pki enroll`: records a one-time enrollment token and prints it alone on stdout.
struct EnrollCommand: HeimdallCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Record a one-time enrollment token for HOST and print it alone on stdout."
    )

    @Argument(help: "The host the token is for (the certificate's CN).")
    var host: String

    @Option(help: ArgumentHelp("How long the token stays valid (90s, 15m, 24h, 7d; default 24h).", valueName: "DURATION"))
    var ttl: DurationArgument?

    @Option(help: ArgumentHelp("The enrollment listener as agents reach it (default 127.0.0.1:7444).", valueName: "ADDR:PORT"))
    var hub: String = "127.0.0.1:7444"

    @OptionGroup var options: PKIOptions

    func execute() async throws {
        let lifetime = ttl?.seconds ?? CertificateInventory.defaultTokenLifetime
        let created = try await options.withInventory { inventory in
            try await inventory.createToken(host: host, lifetime: lifetime, enrollAddress: hub)
        }
        StandardStreams.writeOutput(created.text + "\n")
    }
}
