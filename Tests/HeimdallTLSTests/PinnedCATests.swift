import Foundation
import HeimdallTestSupport
import HeimdallTLS
import NIOCore
import NIOPosix
import Testing

/// The enrollment listener: server-authenticated TLS, the client pins the CA fingerprint.
@Suite(.serialized)
final class PinnedCATests {
    let pki: TestPKI
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    static let alpn = "heimdall-enroll/1"

    init() throws {
        pki = try TestPKI()
    }

    deinit {
        pki.remove()
        try? group.syncShutdownGracefully()
    }

    func run(pin: String, serverName: String = "localhost") async throws -> (client: ClientResult, server: Outcome) {
        let server = try TLSContext.server(TLSServerConfiguration(
            certificateChainPath: pki.hubCertificatePath, privateKeyPath: pki.hubKeyPath, trustRootsPath: pki.caPath,
            applicationProtocols: [Self.alpn], requireClientCertificate: false
        ))
        let client = try TLSContext.client(TLSClientConfiguration(
            trustRoots: .pinnedCertificateAuthority(fingerprintSHA256: pin), serverName: serverName,
            applicationProtocols: [Self.alpn]
        ))
        let echo = try await EchoServer.start(group: group, context: server)
        let result = try await exchange(group: group, port: echo.port, context: client)
        let outcome = try await serverOutcome(echo)
        await echo.stop()
        return (result, outcome)
    }

    @Test func matchingPinConnectsWithoutClientCertificate() async throws {
        let fingerprint = pki.authority.certificate.fingerprintSHA256
        let (client, server) = try await run(pin: fingerprint.uppercased())
        #expect(try client.reply.get() == "ping")
        #expect(server.handshake?.peerCertificate == nil)
        #expect(client.handshake.handshake?.peerCertificate?.commonName == "hub.heimdall.test")
    }

    @Test func wrongPinIsRefused() async throws {
        let foreign = try TestPKI()
        defer { foreign.remove() }
        let (client, _) = try await run(pin: foreign.authority.certificate.fingerprintSHA256)
        #expect(client.error?.code == .certificateVerifyFailed)
    }

    @Test func pinningTheLeafIsNotEnough() async throws {
        let hub = try PeerCertificate.load(path: pki.hubCertificatePath)
        let (client, _) = try await run(pin: hub.fingerprintSHA256)
        #expect(client.error?.code == .certificateVerifyFailed)
    }

    @Test func pinnedCAStillChecksTheServerName() async throws {
        let (client, _) = try await run(pin: pki.authority.certificate.fingerprintSHA256, serverName: "evil.example")
        #expect(client.error?.code == .certificateVerifyFailed)
        #expect(client.error?.verifyResult == "hostname mismatch")
    }

    @Test func pinningTheIntermediateIsNotEnough() async throws {
        let (client, _) = try await run(pin: pki.authority.intermediate.fingerprintSHA256)
        #expect(client.error?.code == .certificateVerifyFailed)
    }

    @Test func hubChainEndsAtThePinnedRoot() throws {
        let text = try String(contentsOfFile: pki.hubCertificatePath, encoding: .utf8)
        #expect(text.hasSuffix(pki.authority.intermediatePEM + pki.authority.certificatePEM))
    }
}
