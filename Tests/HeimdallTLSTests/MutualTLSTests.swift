import Foundation
import HeimdallTestSupport
import HeimdallTLS
import NIOCore
import NIOPosix
import Testing

/// Real mutual TLS on 127.0.0.1: one fixture PKI, one echo server per test.
@Suite(.serialized)
final class MutualTLSTests {
    let pki: TestPKI
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    static let alpn = "heimdall/1"

    init() throws {
        pki = try TestPKI()
    }

    deinit {
        pki.remove()
        try? group.syncShutdownGracefully()
    }

    func serverContext(
        minimumVersion: TLSVersion = .v1_3,
        revocations: RevocationList = RevocationList()
    ) throws -> TLSContext {
        try TLSContext.server(
            TLSServerConfiguration(
                certificateChainPath: pki.hubCertificatePath, privateKeyPath: pki.hubKeyPath,
                trustRootsPath: pki.caPath, applicationProtocols: [Self.alpn], minimumVersion: minimumVersion
            ),
            revocationList: revocations
        )
    }

    func clientContext(
        _ bundle: TestPKI.Bundle?,
        serverName: String = "127.0.0.1",
        alpn: [String] = [alpn],
        maximumVersion: TLSVersion? = nil
    ) throws -> TLSContext {
        try TLSContext.client(TLSClientConfiguration(
            certificateChainPath: bundle?.certificatePath, privateKeyPath: bundle?.keyPath,
            trustRootsPath: pki.caPath, serverName: serverName, applicationProtocols: alpn,
            minimumVersion: maximumVersion ?? .v1_3, maximumVersion: maximumVersion
        ))
    }

    /// Runs one client exchange against a fresh server; returns both sides' views.
    func run(
        server: TLSContext? = nil, client: TLSContext, message: String = "ping"
    ) async throws -> (client: ClientResult, server: Outcome) {
        let echo = try await EchoServer.start(group: group, context: server ?? serverContext())
        let result = try await exchange(group: group, port: echo.port, context: client, message: message)
        let outcome = try await serverOutcome(echo)
        await echo.stop()
        return (result, outcome)
    }

    @Test func goodHandshakeAndEcho() async throws {
        let bundle = try pki.hostBundle("web-01")
        let (client, server) = try await run(client: try clientContext(bundle), message: "hello heimdall")
        #expect(try client.reply.get() == "hello heimdall")
        let clientView = try #require(client.handshake.handshake)
        #expect(clientView.alpn == Self.alpn)
        #expect(clientView.protocolVersion == "TLSv1.3")
        #expect(clientView.peerCertificate?.ipAddresses.contains("127.0.0.1") == true)
        let serverView = try #require(server.handshake)
        #expect(serverView.alpn == Self.alpn)
        let peer = try #require(serverView.peerCertificate)
        #expect(peer.commonName == "web-01")
        #expect(peer.dnsNames == ["web-01"])
        #expect(peer.hasClientAuthUsage)
        #expect(peer.serialNumber == bundle.issued.certificate.serialNumber)
        #expect(peer.fingerprintSHA256 == SHA256Digest.hex(peer.der))
        #expect(peer.fingerprintSHA256 == bundle.issued.certificate.fingerprintSHA256)
        #expect(peer.issuerCommonName?.hasPrefix("Heimdall Test CA Intermediate ") == true)
    }

    @Test func clientWithoutALPNIsAccepted() async throws {
        let bundle = try pki.hostBundle("web-02")
        let (client, server) = try await run(client: try clientContext(bundle, alpn: []))
        #expect(try client.reply.get() == "ping")
        #expect(server.handshake?.alpn == nil)
    }

    @Test func largeWriteRoundTrips() async throws {
        let bundle = try pki.hostBundle("web-03")
        let message = String(repeating: "0123456789abcdef", count: 8192)
        let (client, _) = try await run(client: try clientContext(bundle), message: message)
        #expect(try client.reply.get() == message)
    }

    @Test func clientWithoutCertificateIsRefused() async throws {
        let (client, server) = try await run(client: try clientContext(nil))
        #expect(client.error?.code == .certificateRequired)
        #expect(server.error?.code == .certificateRequired)
    }

    @Test func foreignCAIsRefused() async throws {
        let (client, server) = try await run(client: try clientContext(try pki.foreignBundle("web-04")))
        #expect(client.error?.code == .certificateVerifyFailed)
        #expect(server.error?.code == .certificateVerifyFailed)
        #expect(server.error?.verifyResult == "unable to get local issuer certificate")
    }

    @Test func expiredCertificateIsRefused() async throws {
        let (client, server) = try await run(client: try clientContext(try pki.expiredBundle("web-05")))
        #expect(client.error?.code == .certificateVerifyFailed)
        #expect(server.error?.verifyResult == "certificate has expired")
    }

    @Test func notYetValidCertificateIsRefused() async throws {
        let (client, server) = try await run(client: try clientContext(try pki.notYetValidBundle("web-06")))
        #expect(client.error?.code == .certificateVerifyFailed)
        #expect(server.error?.verifyResult == "certificate is not yet valid")
    }

    @Test func certificateWithoutEKUIsRefused() async throws {
        let bundle = try pki.noEKUBundle("web-07")
        #expect(!bundle.issued.certificate.hasClientAuthUsage)
        let (client, server) = try await run(client: try clientContext(bundle))
        #expect(client.error?.code == .certificateVerifyFailed)
        #expect(server.error?.verifyResult == "unsuitable certificate purpose")
    }

    @Test func serverAuthOnlyCertificateIsRefused() async throws {
        let (client, server) = try await run(client: try clientContext(try pki.serverAuthOnlyBundle("web-08")))
        #expect(client.error?.code == .certificateVerifyFailed)
        #expect(server.error?.verifyResult == "unsuitable certificate purpose")
    }

    @Test func revokedSerialIsRefused() async throws {
        let bundle = try pki.hostBundle("web-09")
        let revocations = RevocationList()
        let server = try serverContext(revocations: revocations)
        let (before, _) = try await run(server: server, client: try clientContext(bundle))
        #expect(try before.reply.get() == "ping")
        revocations.insert(bundle.issued.certificate.serialNumber)
        let (client, outcome) = try await run(server: server, client: try clientContext(bundle))
        #expect(client.error?.code == .certificateVerifyFailed)
        #expect(outcome.error?.verifyResult == "certificate revoked")
        revocations.replaceAll([])
        let (after, _) = try await run(server: server, client: try clientContext(bundle))
        #expect(try after.reply.get() == "ping")
    }

    @Test func tls12OnlyClientIsRefusedByDefault() async throws {
        let bundle = try pki.hostBundle("web-10")
        let (client, server) = try await run(client: try clientContext(bundle, maximumVersion: .v1_2))
        #expect(client.error?.code == .protocolVersion)
        #expect(server.error?.code == .protocolVersion)
    }

    @Test func tls12ClientIsAcceptedWhenEnabled() async throws {
        let bundle = try pki.hostBundle("web-11")
        let (client, _) = try await run(
            server: try serverContext(minimumVersion: .v1_2),
            client: try clientContext(bundle, maximumVersion: .v1_2)
        )
        #expect(try client.reply.get() == "ping")
        #expect(client.handshake.handshake?.protocolVersion == "TLSv1.2")
    }

    @Test func wrongALPNIsRefused() async throws {
        let bundle = try pki.hostBundle("web-12")
        let (client, server) = try await run(client: try clientContext(bundle, alpn: ["heimdall-enroll/1"]))
        #expect(client.error?.code == .noApplicationProtocol)
        #expect(server.error?.code == .noApplicationProtocol)
    }

    @Test func clientRefusesServerWithWrongName() async throws {
        let bundle = try pki.hostBundle("web-13")
        let (client, _) = try await run(client: try clientContext(bundle, serverName: "other.heimdall.test"))
        #expect(client.error?.code == .certificateVerifyFailed)
        #expect(client.error?.verifyResult == "hostname mismatch")
    }

    @Test func clientAcceptsServerByDNSName() async throws {
        let bundle = try pki.hostBundle("web-14")
        let (client, _) = try await run(client: try clientContext(bundle, serverName: "hub.heimdall.test"))
        #expect(try client.reply.get() == "ping")
    }
}
