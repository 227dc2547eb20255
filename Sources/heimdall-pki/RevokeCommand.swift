import ArgumentParser
import HeimdallCLI
import HeimdallPKI

/// `heimdall-pki revoke`: revokes a host's certificates or one certificate.
struct RevokeCommand: HeimdallCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke every certificate of HOST, or the one with --serial; live sessions using them end within seconds."
    )

    @Argument(help: "The host whose certificates to revoke.")
    var host: String?

    @Option(help: ArgumentHelp("Revoke only this certificate (hex).", valueName: "SERIAL"))
    var serial: String?

    @Option(help: ArgumentHelp("RFC 5280 revocation reason.", valueName: "REASON"))
    var reason: RevocationReason = .unspecified

    @OptionGroup var options: PKIOptions

    func validate() throws {
        switch (host, serial) {
        case (nil, nil): throw ValidationError("give a HOST or --serial SERIAL")
        case (.some, .some): throw ValidationError("give a HOST or --serial SERIAL, not both")
        default: break
        }
    }

    func execute() async throws {
        if let serial {
            let owner = try await options.withInventory { try await $0.revoke(serial: serial, reason: reason) }
            StandardStreams.writeOutput("Revoked certificate \(serial.uppercased()) of \(owner) (reason \(reason.rawValue)).\n")
        } else if let host {
            let serials = try await options.withInventory { try await $0.revoke(host: host, reason: reason) }
            let lines = serials.map { "Revoked certificate \($0) of \(host.lowercased()) (reason \(reason.rawValue)).\n" }
            StandardStreams.writeOutput(lines.joined())
        }
    }
}
