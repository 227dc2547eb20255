import Foundation
import HeimdallHub
import HeimdallProtocol
import HeimdallStore
import HeimdallTLS
import HeimdallTestSupport
import Logging
import Testing

/// TLS session tickets on the session listener: a restarted hub (another process reading the
/// same key file) resumes its agents' sessions, and revocation holds for resumed handshakes.
@Suite(.serialized) struct ResumptionTests {
    func secondHub(_ harness: HubHarness) async throws -> Hub {
        var configuration = harness.configuration
        configuration.hubID = "restarted-hub"
        configuration.enrollmentAddress = nil
        var logger = Logger(label: "test.hub.restarted")
        logger.logLevel = .warning
        return try await Hub.start(configuration: configuration, database: harness.database, logger: logger)
    }

    @Test func aRestartedHubResumesAndARevokedCertificateIsRefusedDespiteItsTicket() async throws {
        let harness = try await HubHarness(name: "resumption_restart")
        let bundle = try harness.pki.hostBundle("web-01")
        let certificate = bundle.issued.certificate
        try await harness.database.withConnection { connection in
            try CertificateRecords().insert(
                serial: certificate.serialNumber, hostID: "web-01", fingerprint: certificate.fingerprintSHA256,
                notBefore: certificate.notBefore, notAfter: certificate.notAfter, pem: certificate.pem, on: connection
            )
        }
        let keyFile = harness.pki.caDirectory + "/session-ticket-keys"
        let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let cache = TLSSessionCache()
        let resumption = TLSResumption(cache: cache, key: "hub.example.net:7443")
        let first = try await ProbeAgent.connect(port: harness.port, bundle: bundle, caPath: harness.pki.caPath, resumption: resumption)
        #expect(try await first.welcomed())
        #expect(try await first.handshake.get()?.resumed == false)
        #expect(try await harness.eventually { cache.count == 1 }, "the hub's ticket was kept")
        await first.close()

        let restarted = try await secondHub(harness)
        let port = restarted.sessionAddress.port ?? 0
        let second = try await ProbeAgent.connect(port: port, bundle: bundle, caPath: harness.pki.caPath, resumption: resumption)
        #expect(try await second.welcomed())
        #expect(try await second.handshake.get()?.resumed == true, "the restarted hub decrypted the ticket")

        _ = try await harness.database.withConnection {
            try CertificateRecords().revoke(serial: certificate.serialNumber, reason: "keyCompromise", on: $0)
        }
        let cut = try await second.closed()
        #expect(cut?.fatalCode == .certificateRevoked, "the restarted hub knows the revocation")
        #expect(cache.count == 1, "the session from the resumed handshake is kept")

        let third = try await ProbeAgent.connect(port: port, bundle: bundle, caPath: harness.pki.caPath, resumption: resumption)
        let refused = try #require(try await third.closed())
        #expect(refused.error?.code == .certificateVerifyFailed, "refused as a full handshake is")
        #expect(!refused.welcomed)
        #expect(refused.handshake?.resumed != true)
        #expect(cache.count == 0, "the refused session is forgotten")

        await restarted.shutdown(grace: .seconds(2))
        await harness.stop()
    }

    @Test func ticketsOffMeansFullHandshakesOnly() async throws {
        let harness = try await HubHarness(name: "resumption_off") { $0.sessionTickets.lifetime = nil }
        let bundle = try harness.pki.hostBundle("web-01")
        let resumption = TLSResumption(cache: TLSSessionCache(), key: "hub")
        for _ in 0..<2 {
            let probe = try await ProbeAgent.connect(port: harness.port, bundle: bundle, caPath: harness.pki.caPath, resumption: resumption)
            #expect(try await probe.welcomed())
            #expect(try await probe.handshake.get()?.resumed == false)
            await probe.close()
        }
        #expect(resumption.cache.count == 0)
        #expect(!FileManager.default.fileExists(atPath: harness.pki.caDirectory + "/session-ticket-keys"))
        await harness.stop()
    }
}
