import Foundation
import HeimdallTestSupport
import HeimdallTLS
import NIOCore
import NIOPosix
import Testing

/// TLS 1.3 session tickets on 127.0.0.1: resumption across server contexts sharing keys (a
/// restarted hub), and the certificate checks a resumed handshake is still held to.
@Suite(.serialized)
final class SessionResumptionTests {
    let pki: TestPKI
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let keys: SessionTicketKeyring

    init() throws {
        pki = try TestPKI()
        keys = try #require(SessionTicketKeyring(keys: []).rotated(now: Date(), rotation: 3600, lifetime: 600))
    }

    deinit {
        pki.remove()
        try? group.syncShutdownGracefully()
    }

    func serverContext(
        keys: SessionTicketKeyring?, lifetime: Duration = .seconds(600), revocations: RevocationList = RevocationList()
    ) throws -> TLSContext {
        let context = try TLSContext.server(
            TLSServerConfiguration(
                certificateChainPath: pki.hubCertificatePath, privateKeyPath: pki.hubKeyPath, trustRootsPath: pki.caPath,
                applicationProtocols: ["heimdall/1"], sessionTicketLifetime: keys == nil ? nil : lifetime
            ),
            revocationList: revocations
        )
        if let keys { try context.installTicketKeys(keys) }
        return context
    }

    func clientContext(_ bundle: TestPKI.Bundle) throws -> TLSContext {
        try TLSContext.client(TLSClientConfiguration(
            certificateChainPath: bundle.certificatePath, privateKeyPath: bundle.keyPath, trustRootsPath: pki.caPath,
            serverName: "127.0.0.1", applicationProtocols: ["heimdall/1"]
        ))
    }

    /// One exchange against a fresh echo server made from `server`.
    func run(
        _ server: TLSContext, client: TLSContext, cache: TLSSessionCache, abrupt: Bool = false
    ) async throws -> (client: ClientResult, server: Outcome) {
        let echo = try await EchoServer.start(group: group, context: server)
        let result = try await exchange(
            group: group, port: echo.port, context: client, resumption: TLSResumption(cache: cache, key: "hub:7443"), abrupt: abrupt
        )
        let outcome = try await serverOutcome(echo)
        await echo.stop()
        return (result, outcome)
    }

    @Test func aRestartedServerWithTheSameKeysResumes() async throws {
        let bundle = try pki.hostBundle("web-01")
        let client = try clientContext(bundle)
        let cache = TLSSessionCache()
        let first = try await run(try serverContext(keys: keys), client: client, cache: cache)
        #expect(try first.client.reply.get() == "ping")
        #expect(first.client.handshake.handshake?.resumed == false)
        #expect(cache.count == 1, "the ticket was kept")

        let second = try await run(try serverContext(keys: keys), client: client, cache: cache)
        #expect(try second.client.reply.get() == "ping")
        #expect(second.client.handshake.handshake?.resumed == true)
        let serverView = try #require(second.server.handshake)
        #expect(serverView.resumed)
        #expect(serverView.peerCertificate?.serialNumber == bundle.issued.certificate.serialNumber, "the peer comes from the session")
    }

    /// A killed hub ends connections without close_notify; OpenSSL then marks the
    /// connection's session not resumable, so the cache must keep its own copy.
    @Test func aSessionEndedWithoutCloseNotifyStillResumes() async throws {
        let client = try clientContext(try pki.hostBundle("web-01"))
        let cache = TLSSessionCache()
        _ = try await run(try serverContext(keys: keys), client: client, cache: cache, abrupt: true)
        let second = try await run(try serverContext(keys: keys), client: client, cache: cache)
        #expect(second.client.handshake.handshake?.resumed == true)
    }

    @Test func otherKeysMeanAFullHandshakeAndTheOldSessionIsReplaced() async throws {
        let client = try clientContext(try pki.hostBundle("web-01"))
        let cache = TLSSessionCache()
        _ = try await run(try serverContext(keys: keys), client: client, cache: cache)
        let otherKeys = try #require(SessionTicketKeyring(keys: []).rotated(now: Date(), rotation: 3600, lifetime: 600))
        let second = try await run(try serverContext(keys: otherKeys), client: client, cache: cache)
        #expect(try second.client.reply.get() == "ping")
        #expect(second.client.handshake.handshake?.resumed == false)
        let third = try await run(try serverContext(keys: otherKeys), client: client, cache: cache)
        #expect(third.client.handshake.handshake?.resumed == true, "the new server's ticket replaced the unusable one")
    }

    @Test func aTicketObtainedBeforeRevocationIsRefusedLikeAFullHandshake() async throws {
        let bundle = try pki.hostBundle("web-01")
        let client = try clientContext(bundle)
        let cache = TLSSessionCache()
        let revocations = RevocationList()
        let server = try serverContext(keys: keys, revocations: revocations)
        _ = try await run(server, client: client, cache: cache)
        #expect(cache.count == 1)

        revocations.insert(bundle.issued.certificate.serialNumber)
        let refused = try await run(server, client: client, cache: cache)
        #expect(refused.client.error?.code == .certificateVerifyFailed)
        #expect(refused.server.error?.code == .certificateVerifyFailed)
        #expect(refused.server.error?.verifyResult == "certificate revoked", "the same refusal as a full handshake")
        #expect(cache.count == 0, "a failed resumption drops the session")

        let full = try await run(try serverContext(keys: nil, revocations: revocations), client: client, cache: cache)
        #expect(full.client.error?.code == refused.client.error?.code)
    }

    @Test func anExpiredTicketIsNotResumed() async throws {
        let client = try clientContext(try pki.hostBundle("web-01"))
        let cache = TLSSessionCache()
        let server = try serverContext(keys: keys, lifetime: .seconds(1))
        _ = try await run(server, client: client, cache: cache)
        try await Task.sleep(for: .milliseconds(2_100))
        let second = try await run(server, client: client, cache: cache)
        #expect(try second.client.reply.get() == "ping")
        #expect(second.client.handshake.handshake?.resumed == false)
    }

    @Test func withoutTicketsNoSessionIsKept() async throws {
        let client = try clientContext(try pki.hostBundle("web-01"))
        let cache = TLSSessionCache()
        let server = try serverContext(keys: nil)
        #expect(!server.issuesSessionTickets)
        #expect(throws: TLSError.self) { try server.installTicketKeys(self.keys) }
        _ = try await run(server, client: client, cache: cache)
        let second = try await run(server, client: client, cache: cache)
        #expect(second.client.handshake.handshake?.resumed == false)
        #expect(cache.count == 0)
    }
}

/// Rotation of ticket keys is a pure function of the clock.
struct SessionTicketKeyringTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aFirstKeyIsMadeThenKeptUntilTheRotationInterval() throws {
        let first = try #require(SessionTicketKeyring(keys: []).rotated(now: start, rotation: 100, lifetime: 10))
        #expect(first.keys.count == 1)
        #expect(first.keys[0].material.count == SessionTicketKey.length)
        #expect(first.rotated(now: start.addingTimeInterval(99), rotation: 100, lifetime: 10) == first)
    }

    @Test func aNewKeyEncryptsAndTheOldOneDecryptsForOneLifetime() throws {
        let first = try #require(SessionTicketKeyring(keys: []).rotated(now: start, rotation: 100, lifetime: 10))
        let second = try #require(first.rotated(now: start.addingTimeInterval(100), rotation: 100, lifetime: 10))
        #expect(second.keys.count == 2)
        #expect(second.keys[1] == first.keys[0], "the old key still decrypts")
        #expect(second.keys[0] != first.keys[0], "the new key encrypts")
        let later = try #require(second.rotated(now: start.addingTimeInterval(110), rotation: 100, lifetime: 10))
        #expect(later.keys == [second.keys[0]], "the old key is gone once its last ticket expired")
    }

    @Test func keysFromTheFutureAreDropped() throws {
        let future = try #require(SessionTicketKey.generate(now: start.addingTimeInterval(1_000)))
        let ring = try #require(SessionTicketKeyring(keys: [future]).rotated(now: start, rotation: 100, lifetime: 10))
        #expect(ring.keys.count == 1)
        #expect(ring.keys[0] != future)
    }
}
