import ArgumentParser
import HeimdallCLI
import HeimdallPKI
import HeimdallProtocol
import HeimdallTLS

/// `heimdall-pki rotate-intermediate`: signs a new issuing intermediate with the root key.
/// Works on files only (no database), so it can run on the offline machine holding the root.
struct RotateIntermediateCommand: HeimdallCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-intermediate",
        abstract: "Sign a new issuing intermediate with the root key; certificates of the old one stay valid until they expire."
    )

    @Option(name: .customLong("pki-dir"), help: ArgumentHelp("The CA directory.", valueName: "DIR"))
    var pkiDirectory: String

    @Option(name: .customLong("root-key"), help: ArgumentHelp(
        "The root private key, e.g. on removable media (default: root.key in --pki-dir).", valueName: "FILE"
    ))
    var rootKey: String?

    @Option(help: "Validity of the new intermediate in days.")
    var days = CertificateAuthority.defaultIntermediateDays

    func validate() throws { try validateDays(days) }

    func execute() async throws {
        let previous = try? PeerCertificate.load(path: pkiDirectory + "/" + CertificateAuthority.FileName.intermediateCertificate)
        let authority = try CertificateAuthority.rotateIntermediate(directory: pkiDirectory, rootKeyPath: rootKey, days: days)
        let intermediate = authority.intermediate
        let kept = previous.map { "; the previous one is kept as \(pkiDirectory)/intermediate-\($0.serialNumber).pem" } ?? ""
        StandardStreams.writeOutput("""
            New issuing intermediate: serial \(intermediate.serialNumber), valid until \(RFC3339.format(intermediate.notAfter)).
            Wrote \(pkiDirectory)/intermediate.key (0600) and \(pkiDirectory)/intermediate.pem\(kept).
            Next: heimdall-pki rotate-hub-cert --pki-dir \(pkiDirectory), then restart the hub; put the root key back offline.

            """)
    }
}

/// `heimdall-pki rotate-hub-cert`: a new hub key and certificate from the current intermediate.
struct RotateHubCertCommand: HeimdallCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-hub-cert",
        abstract: "Replace hub.key and hub.pem with a new key and certificate signed by the current intermediate."
    )

    @Option(name: .customLong("pki-dir"), help: ArgumentHelp("The CA directory.", valueName: "DIR"))
    var pkiDirectory: String

    @Option(name: .customLong("hub-name"), help: ArgumentHelp(
        "A DNS name or IP address agents use to reach the hub (repeatable); without any, the current hub.pem's names are kept.",
        valueName: "NAME_OR_IP"
    ))
    var hubNames: [String] = []

    @Option(help: "Validity of the hub certificate in days.")
    var days = CertificateAuthority.defaultHubDays

    func validate() throws { try validateDays(days) }

    func execute() async throws {
        let hub = try CertificateAuthority.rotateHubCertificate(directory: pkiDirectory, hubNames: hubNames, days: days)
        let names = hub.certificate.dnsNames + hub.certificate.ipAddresses
        StandardStreams.writeOutput("""
            New hub certificate: serial \(hub.certificate.serialNumber), valid until \(RFC3339.format(hub.certificate.notAfter)), names \(names.joined(separator: ", ")).
            Wrote \(pkiDirectory)/hub.key (0600) and \(pkiDirectory)/hub.pem; restart the hub to use them.

            """)
    }
}
