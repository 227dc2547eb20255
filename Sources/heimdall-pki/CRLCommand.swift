import ArgumentParser
import HeimdallCLI

/// `heimdall-pki crl`: prints the current CRL.
struct CRLCommand: HeimdallCommand {
    static let configuration = CommandConfiguration(
        commandName: "crl",
        abstract: "Print the current certificate revocation list (PEM), signed by the CA and valid for 7 days."
    )

    @OptionGroup var options: PKIOptions

    func execute() async throws {
        let pem = try await options.withInventory { try await $0.revocationList() }
        StandardStreams.writeOutput(pem)
    }
}
