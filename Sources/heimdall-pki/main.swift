import ArgumentParser
import HeimdallCLI

/// `heimdall-pki`: the certificate authority, run on the hub machine.
struct PKICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heimdall-pki",
        abstract: "Heimdall's certificate authority: create it, issue and revoke host certificates, list them, print the CRL.",
        subcommands: [
            InitCommand.self, EnrollCommand.self, TokensCommand.self, CancelTokenCommand.self, IssueCommand.self, RevokeCommand.self, ListCommand.self, CRLCommand.self,
            RotateIntermediateCommand.self, RotateHubCertCommand.self,
        ]
    )
}

await CommandRunner.main(PKICommand.self)
