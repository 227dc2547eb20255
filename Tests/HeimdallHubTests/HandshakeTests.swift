import Foundation
import HeimdallHub
import HeimdallTLS
import HeimdallTestSupport
import NIOCore
import NIOPosix
import Testing

@Suite(.serialized) struct HandshakeTests {
    enum Client: String, CaseIterable {
        case noCertificate, foreignCA, expired, notYetValid, noClientAuthUsage, tls12Only, wrongALPN
    }

    @Test(arguments: Client.allCases)
    func refusedClientsNeverGetAWelcome(_ client: Client) async throws {
        let harness = try await HubHarness(name: "handshake_\(client.rawValue.lowercased())")
        let pki = harness.pki
        let connection: TestAgentConnection
        do {
            switch client {
            case .noCertificate:
                connection = try await TestAgentConnection.connect(port: harness.port, bundle: nil, caPath: pki.caPath)
            case .foreignCA:
                connection = try await TestAgentConnection.connect(port: harness.port, bundle: try pki.foreignBundle("web-01"), caPath: pki.caPath)
            case .expired:
                connection = try await TestAgentConnection.connect(port: harness.port, bundle: try pki.expiredBundle("web-01"), caPath: pki.caPath)
            case .notYetValid:
                connection = try await TestAgentConnection.connect(port: harness.port, bundle: try pki.notYetValidBundle("web-01"), caPath: pki.caPath)
            case .noClientAuthUsage:
                connection = try await TestAgentConnection.connect(port: harness.port, bundle: try pki.noEKUBundle("web-01"), caPath: pki.caPath)
            case .tls12Only:
                connection = try await TestAgentConnection.connect(
                    port: harness.port, bundle: try pki.hostBundle("web-01"), caPath: pki.caPath, minimum: .v1_2, maximum: .v1_2
                )
            case .wrongALPN:
                connection = try await TestAgentConnection.connect(
                    port: harness.port, bundle: try pki.hostBundle("web-01"), caPath: pki.caPath, alpn: ["http/1.1"]
                )
            }
        } catch {
            await harness.stop()
            return  // refused while connecting: fine
        }
        // TLS 1.3: a refused client learns it on its first read, so write, then read.
        try? await connection.send(#"{"type":"hello","protocol":1}"#)
        #expect(try await connection.receiveUntilClosed().isEmpty)
        #expect(try await harness.count("SELECT count(*) FROM sessions") == 0)
        await harness.stop()
    }

    @Test func hostsOfTheOldAndTheNewIntermediateAreWelcomedAfterRotation() async throws {
        let harness = try await HubHarness(name: "handshake_rotation")
        let old = try harness.pki.hostBundle("web-old")
        let rotated = try harness.pki.rotateIntermediate()
        let fresh = try harness.pki.bundle(rotated.issueHostCertificate(host: "web-new"), name: "web-new")
        #expect(fresh.issued.certificate.issuerCommonName != old.issued.certificate.issuerCommonName)
        for (host, bundle) in [("web-old", old), ("web-new", fresh)] {
            let (connection, _) = try await harness.welcomed(as: host, bundle: bundle)
            await connection.close()
        }
        #expect(try await harness.eventually { try await harness.count("SELECT count(*) FROM sessions") == 2 })
        await harness.stop()
    }

    @Test func aSilentTCPConnectionIsClosedByTheHandshakeDeadline() async throws {
        let harness = try await HubHarness(name: "silent_tcp")
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: harness.port).get()
        let closed = ContinuousClock.now
        try await channel.closeFuture.get()
        #expect(ContinuousClock.now - closed < .seconds(4))
        await harness.stop()
    }
}
