import ArgumentParser
import HeimdallCLI

/// `heimdall-audit verify` (not implemented yet).
struct VerifyCommand: HeimdallCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the tamper-evidence chain of stored events (not available yet)."
    )

    @Option(help: ArgumentHelp("Only this host.", valueName: "H"))
    var host: String?

    @OptionGroup var options: AuditOptions

    func execute() async throws {
        throw CommandError("tamper-evidence verification is not available yet")
    }
}
