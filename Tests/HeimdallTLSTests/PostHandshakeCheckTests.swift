import Foundation
import HeimdallTestSupport
@testable import HeimdallTLS
import NIOCore
import Testing

/// The check after every completed handshake, driven step by step between two memory-BIO
/// connections, so a revocation can land after the ticket was accepted and before the
/// resumed handshake completes (the window the ticket callback cannot cover).
@Suite(.serialized)
final class PostHandshakeCheckTests {
    let pki: TestPKI
    let allocator = ByteBufferAllocator()

    init() throws {
        pki = try TestPKI()
    }

    deinit {
        pki.remove()
    }

    /// Moves whatever `from` wants to send into `to`.
    func pump(_ from: TLSConnection, _ to: TLSConnection) {
        if let bytes = from.drainOutput(allocator: allocator) { to.feed(bytes) }
    }

    /// Runs one handshake to completion on the client side; returns the server connection
    /// just before it reads the client's last flight.
    func handshake(server context: TLSContext, client: TLSContext, resumption: TLSResumption) throws -> (TLSConnection, TLSConnection) {
        let server = try #require(TLSConnection(context: context))
        let clientSide = try #require(TLSConnection(context: client, resumption: resumption))
        for _ in 0..<4 {
            if case .complete = clientSide.handshake() { break }
            pump(clientSide, server)
            _ = server.handshake()
            pump(server, clientSide)
        }
        pump(clientSide, server)
        return (server, clientSide)
    }

    @Test func aRevocationBetweenTicketAndFinishedIsRefusedAfterTheHandshake() throws {
        let bundle = try pki.hostBundle("web-01")
        let revocations = RevocationList()
        let server = try TLSContext.server(
            TLSServerConfiguration(
                certificateChainPath: pki.hubCertificatePath, privateKeyPath: pki.hubKeyPath, trustRootsPath: pki.caPath,
                applicationProtocols: ["heimdall/1"], sessionTicketLifetime: .seconds(600)
            ),
            revocationList: revocations
        )
        try server.installTicketKeys(try #require(SessionTicketKeyring(keys: []).rotated(now: Date(), rotation: 3600, lifetime: 600)))
        let client = try TLSContext.client(TLSClientConfiguration(
            certificateChainPath: bundle.certificatePath, privateKeyPath: bundle.keyPath, trustRootsPath: pki.caPath,
            serverName: "127.0.0.1", applicationProtocols: ["heimdall/1"]
        ))
        let resumption = TLSResumption(cache: TLSSessionCache(), key: "hub")

        let (firstServer, firstClient) = try handshake(server: server, client: client, resumption: resumption)
        guard case .complete = firstServer.handshake() else { throw TLSError(code: .io, message: "first handshake incomplete") }
        #expect(firstServer.refusal(revocations: revocations) == nil)
        pump(firstServer, firstClient)
        _ = firstClient.read(allocator: allocator)  // takes the NewSessionTicket
        #expect(resumption.cache.count == 1)

        let (secondServer, secondClient) = try handshake(server: server, client: client, resumption: resumption)
        #expect(secondClient.offeredSession)
        revocations.insert(bundle.issued.certificate.serialNumber)  // after the ticket was accepted
        guard case .complete = secondServer.handshake() else { throw TLSError(code: .io, message: "second handshake incomplete") }
        #expect(secondServer.handshakeSummary().resumed, "the ticket was accepted before the revocation")
        let refusal = try #require(secondServer.refusal(revocations: revocations))
        #expect(refusal.code == .certificateVerifyFailed)
        #expect(refusal.verifyResult == "certificate revoked")
    }
}
