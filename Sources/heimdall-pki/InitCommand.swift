import ArgumentParser
import HeimdallCLI
import HeimdallPKI

/// `heimdall-pki init`: creates the CA and the hub certificate.
struct InitCommand: HeimdallCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the CA (key + self-signed certificate) and the hub's server certificate; never overwrites an existing CA."
    )

    @OptionGroup var options: PKIOptions

    @Option(name: .customLong("ca-name"), help: "The CA certificate's common name.")
    var caName = "Heimdall CA"

    @Option(name: .customLong("hub-name"), help: ArgumentHelp(
        "A DNS name or IP address agents use to reach the hub (repeatable; localhost and 127.0.0.1 are always included).",
        valueName: "NAME_OR_IP"
    ))
    var hubNames: [String] = []

    @Option(help: "Validity of the CA certificate in days.")
    var days = 3650

    func validate() throws { try validateDays(days) }

    func execute() async throws {
        let authority = try await options.withInventory { try await $0.initialize(caName: caName, hubNames: hubNames, days: days) }
        let directory = options.pkiDirectory
        StandardStreams.writeOutput("""
            Created CA "\(caName)" in \(directory) (serial \(authority.certificate.serialNumber)).
            CA certificate SHA-256 fingerprint: \(authority.certificate.fingerprintSHA256)
            Wrote \(directory)/ca.key (0600), \(directory)/ca.pem, \(directory)/hub.key (0600), \(directory)/hub.pem

            """)
    }
}
