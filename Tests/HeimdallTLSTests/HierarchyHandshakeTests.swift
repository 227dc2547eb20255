import Foundation
import HeimdallPKI
import HeimdallTestSupport
import HeimdallTLS
import NIOCore
import NIOPosix
import Testing

/// Mutual TLS through the two-level hierarchy: both sides trust only the root (`ca.pem`)
/// and present leaf + intermediate; an intermediate rotation leaves old certificates working.
@Suite(.serialized)
final class HierarchyHandshakeTests {
    let pki: TestPKI
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    init() throws {
        pki = try TestPKI()
    }

    deinit {
        pki.remove()
        try? group.syncShutdownGracefully()
    }

    func run(_ bundle: TestPKI.Bundle, certificatePath: String? = nil) async throws -> (client: ClientResult, server: Outcome) {
        let server = try TLSContext.server(TLSServerConfiguration(
            certificateChainPath: pki.hubCertificatePath, privateKeyPath: pki.hubKeyPath,
            trustRootsPath: pki.caPath, applicationProtocols: ["heimdall/1"]
        ))
        let client = try TLSContext.client(TLSClientConfiguration(
            certificateChainPath: certificatePath ?? bundle.certificatePath, privateKeyPath: bundle.keyPath,
            trustRootsPath: pki.caPath, serverName: "127.0.0.1", applicationProtocols: ["heimdall/1"]
        ))
        let echo = try await EchoServer.start(group: group, context: server)
        let result = try await exchange(group: group, port: echo.port, context: client)
        let outcome = try await serverOutcome(echo)
        await echo.stop()
        return (result, outcome)
    }

    @Test func oldAndNewHostCertificatesHandshakeAfterRotation() async throws {
        let old = try pki.hostBundle("old-host")
        let rotated = try pki.rotateIntermediate()
        _ = try CertificateAuthority.rotateHubCertificate(directory: pki.caDirectory)
        let fresh = try pki.bundle(rotated.issueHostCertificate(host: "new-host"), name: "new-host")
        #expect(try String(contentsOfFile: fresh.certificatePath, encoding: .utf8).hasSuffix(rotated.intermediatePEM))

        for (bundle, issuer) in [(old, pki.authority.intermediate), (fresh, rotated.intermediate)] {
            let (client, server) = try await run(bundle)
            #expect(try client.reply.get() == "ping")
            #expect(client.handshake.handshake?.peerCertificate?.issuerCommonName == rotated.intermediate.commonName)
            let peer = try #require(server.handshake?.peerCertificate)
            #expect(peer.serialNumber == bundle.issued.certificate.serialNumber)
            #expect(peer.issuerCommonName == issuer.commonName)
        }
    }

    @Test func leafWithoutItsIntermediateIsRefused() async throws {
        let bundle = try pki.hostBundle("web-01")
        let leafOnly = pki.root + "/leaf-only.pem"
        try bundle.issued.certificatePEM.write(toFile: leafOnly, atomically: true, encoding: .utf8)
        let (client, server) = try await run(bundle, certificatePath: leafOnly)
        #expect(client.error?.code == .certificateVerifyFailed)
        #expect(server.error?.verifyResult == "unable to get local issuer certificate")
    }
}
