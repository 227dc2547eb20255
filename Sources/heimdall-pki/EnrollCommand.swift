import ArgumentParser
import HeimdallCLI

/// `heimdall-pki enroll`: one-time enrollment tokens (not implemented yet).
struct EnrollCommand: HeimdallCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Record a one-time enrollment token for HOST and print it (not available yet)."
    )

    @Argument(help: "The host the token is for.")
    var host: String

    @Option(help: ArgumentHelp("How long the token stays valid (90s, 15m, 24h, 7d).", valueName: "DURATION"))
    var ttl: DurationArgument?

    @Option(help: ArgumentHelp("The enrollment listener as agents reach it.", valueName: "ADDR:PORT"))
    var hub: String?

    @OptionGroup var options: PKIOptions

    func execute() async throws {
        throw CommandError("enrollment tokens are not available yet")
    }
}
