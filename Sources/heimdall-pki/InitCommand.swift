import ArgumentParser
import HeimdallCLI
import HeimdallPKI
import HeimdallProtocol

/// `heimdall-pki init`: creates the root CA, the issuing intermediate and the hub certificate.
struct InitCommand: HeimdallCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the root CA, the issuing intermediate and the hub's server certificate; never overwrites an existing CA."
    )

    @OptionGroup var options: PKIOptions

    @Option(name: .customLong("ca-name"), help: "The root certificate's common name.")
    var caName = "Heimdall CA"

    @Option(name: .customLong("hub-name"), help: ArgumentHelp(
        "A DNS name or IP address agents use to reach the hub (repeatable; localhost and 127.0.0.1 are always included).",
        valueName: "NAME_OR_IP"
    ))
    var hubNames: [String] = []

    @Option(help: "Validity of the root certificate in days.")
    var days = CertificateAuthority.defaultRootDays

    @Option(name: .customLong("intermediate-days"), help: "Validity of the issuing intermediate in days.")
    var intermediateDays = CertificateAuthority.defaultIntermediateDays

    func validate() throws {
        try validateDays(days)
        try validateDays(intermediateDays)
    }

    func execute() async throws {
        let authority = try await options.withInventory {
            try await $0.initialize(caName: caName, hubNames: hubNames, days: days, intermediateDays: intermediateDays)
        }
        let directory = options.pkiDirectory
        StandardStreams.writeOutput("""
            Created root CA "\(caName)" in \(directory) (serial \(authority.certificate.serialNumber)).
            Root certificate SHA-256 fingerprint: \(authority.certificate.fingerprintSHA256)
            Issuing intermediate: serial \(authority.intermediate.serialNumber), valid until \(RFC3339.format(authority.intermediate.notAfter))
            Wrote \(directory)/root.key (0600), \(directory)/ca.pem, \(directory)/intermediate.key (0600), \(directory)/intermediate.pem, \
            \(directory)/hub.key (0600), \(directory)/hub.pem
            Move root.key to offline storage now (see docs/PKI.md); only rotate-intermediate needs it.

            """)
    }
}
