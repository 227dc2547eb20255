import Foundation
import HeimdallHub
import HeimdallProtocol
import HeimdallStore
import HeimdallSystem
import HeimdallTestSupport
import Logging
import Testing

@Suite(.serialized) struct RevocationTests {
    func record(_ bundle: TestPKI.Bundle, in database: Database) async throws {
        let certificate = bundle.issued.certificate
        try await database.withConnection { connection in
            try CertificateRecords().insert(
                serial: certificate.serialNumber, hostID: certificate.commonName ?? "", fingerprint: certificate.fingerprintSHA256,
                notBefore: certificate.notBefore, notAfter: certificate.notAfter, pem: certificate.pem, on: connection
            )
        }
    }

    func fatalCode(_ messages: [HubMessage]) -> ProtocolErrorCode? {
        guard case .error(let report)? = messages.last, report.fatal else { return nil }
        return report.code
    }

    /// With the periodic reload far away, only PostgreSQL's notification can cut the
    /// sessions in time — on both hubs sharing the database.
    @Test func aRevocationCutsLiveSessionsOnEveryHubAtOnce() async throws {
        let slowReload: (inout HubConfiguration) -> Void = { $0.revocationRefreshInterval = .seconds(60) }
        let harness = try await HubHarness(name: "revocation_two_hubs", adjust: slowReload)
        var second = HubHarness.configuration(pki: harness.pki)
        slowReload(&second)
        second.hubID = "second-hub"
        var logger = Logger(label: "test.hub.b")
        logger.logLevel = .warning
        let otherHub = try await Hub.start(configuration: second, database: harness.database, logger: logger)

        let bundle = try harness.pki.hostBundle("web-01")
        try await record(bundle, in: harness.database)
        let (onFirst, _) = try await harness.welcomed(as: "web-01", bundle: bundle)
        let onSecond = try await TestAgentConnection.connect(port: otherHub.sessionAddress.port ?? 0, bundle: bundle, caPath: harness.pki.caPath)
        try await onSecond.send(#"{"type":"hello","protocol":1}"#)
        guard case .welcome = try await onSecond.receive() else { throw HarnessError("no welcome from the second hub") }

        let revokedAt = ContinuousClock.now
        _ = try await harness.database.withConnection {
            try CertificateRecords().revoke(serial: bundle.issued.certificate.serialNumber, reason: "keyCompromise", on: $0)
        }
        async let first = onFirst.receiveUntilClosed()
        async let other = onSecond.receiveUntilClosed()
        #expect(fatalCode(try await first) == .certificateRevoked)
        #expect(fatalCode(try await other) == .certificateRevoked)
        #expect(ContinuousClock.now - revokedAt < .seconds(5), "protocol.md: within 5 s")

        let crl = harness.pki.caDirectory + "/crl.pem"
        #expect(try await harness.eventually {
            let text = try ChildProcess.run("openssl", ["crl", "-in", crl, "-noout", "-text"])
            return text.status == 0 && text.output.contains(bundle.issued.certificate.serialNumber)
        }, "the published CRL lists the revoked serial")
        let again = try await TestAgentConnection.connect(port: harness.port, bundle: bundle, caPath: harness.pki.caPath)
        try? await again.send(#"{"type":"hello","protocol":1}"#)
        #expect(try await again.receiveUntilClosed().isEmpty, "a revoked certificate's handshake is refused")
        await otherHub.shutdown(grace: .seconds(2))
        await harness.stop()
    }

    @Test func thePeriodicReloadCatchesWhatNotificationsMiss() async throws {
        let harness = try await HubHarness(name: "revocation_reload")
        let bundle = try harness.pki.hostBundle("web-01")
        try await record(bundle, in: harness.database)
        let (connection, _) = try await harness.welcomed(as: "web-01", bundle: bundle)
        // Revoke without firing the trigger, as a restored backup or a lost notification would.
        try await harness.database.withConnection { connection in
            try connection.execute("ALTER TABLE certificates DISABLE TRIGGER certificates_revoked")
            try connection.execute("UPDATE certificates SET status = 'revoked', revoked_at = now()")
        }
        #expect(fatalCode(try await connection.receiveUntilClosed()) == .certificateRevoked)
        await harness.stop()
    }
}
