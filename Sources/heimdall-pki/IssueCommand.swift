import ArgumentParser
import HeimdallCLI
import HeimdallProtocol
import HeimdallPKI

/// `heimdall-pki issue`: offline enrollment.
struct IssueCommand: HeimdallCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue a host certificate and write host.key, host.pem and ca.pem for HOST into --out."
    )

    @Argument(help: "The host's name (its certificate's CN).")
    var host: String

    @Option(help: ArgumentHelp("Where to write the bundle (created 0700 when missing).", valueName: "DIR"))
    var out: String

    @OptionGroup var options: PKIOptions

    @Option(help: "Validity of the certificate in days.")
    var days = 90

    func validate() throws { try validateDays(days) }

    func execute() async throws {
        let issued = try await options.withInventory { try await $0.issue(host: host, outDirectory: out, days: days) }
        let certificate = issued.certificate
        StandardStreams.writeOutput("""
            Issued certificate \(certificate.serialNumber) for \(certificate.commonName ?? host), valid until \(RFC3339.format(certificate.notAfter)).
            SHA-256 fingerprint: \(certificate.fingerprintSHA256)
            Wrote \(out)/host.key (0600), \(out)/host.pem (certificate + intermediate), \(out)/ca.pem (root)

            """)
    }
}
