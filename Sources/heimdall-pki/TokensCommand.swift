import ArgumentParser
import HeimdallAudit
import HeimdallCLI
import HeimdallPKI
import HeimdallProtocol
import HeimdallStore

/// `heimdall-pki tokens`: pending enrollment tokens (never their secrets).
struct TokensCommand: HeimdallCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "List pending enrollment tokens: id, host, creator, created, expires."
    )

    @Flag(help: "Write one JSON document instead of a table.")
    var json = false

    @OptionGroup var options: PKIOptions

    func execute() async throws {
        let tokens = try await options.withInventory { try await $0.pendingTokens() }
        if json {
            JSONOutput.write(.array(tokens.map { token in
                .object([
                    "id": .string(token.id), "host_id": .string(token.hostID), "created_by": .string(token.createdBy),
                    "created_at": .string(RFC3339.format(token.createdAt)), "expires_at": .string(RFC3339.format(token.expiresAt)),
                ])
            }))
            return
        }
        StandardStreams.writeOutput(TextTable.render(
            header: ["ID", "HOST", "CREATED BY", "CREATED", "EXPIRES"],
            rows: tokens.map { [$0.id, $0.hostID, $0.createdBy, RFC3339.format($0.createdAt), RFC3339.format($0.expiresAt)] }
        ))
    }
}

/// `heimdall-pki cancel-token`: makes a pending token unusable.
struct CancelTokenCommand: HeimdallCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel-token",
        abstract: "Cancel a pending enrollment token (its id from `heimdall-pki tokens`)."
    )

    @Argument(help: "The token id.")
    var id: String

    @OptionGroup var options: PKIOptions

    func execute() async throws {
        let host = try await options.withInventory { try await $0.cancelToken(id: id) }
        StandardStreams.writeOutput("cancelled enrollment token \(id.lowercased()) for \(host)\n")
    }
}
