import Foundation
import HeimdallHub
import HeimdallProtocol
import HeimdallStore
import HeimdallTLS
import Testing

@Suite(.serialized) struct RenewalTests {
    @Test func aLiveSessionGetsANewCertificateForItsOwnName() async throws {
        let harness = try await HubHarness(name: "renewal")
        let bundle = try harness.pki.hostBundle("web-01")
        let (connection, _) = try await harness.welcomed(as: "web-01", bundle: bundle)

        let request = try CertificateRequest.generate(commonName: "web-01")
        try await connection.send(AgentMessage.renew(RenewalRequest(csr: request.requestPEM)).jsonValue.jsonText())
        guard case .renewed(let renewal) = try await connection.receive() else { throw HarnessError("no renewed frame") }
        let issued = try PeerCertificate(pem: renewal.certificate)
        #expect(issued.commonName == "web-01")
        #expect(issued.dnsNames == ["web-01"])
        #expect(issued.hasClientAuthUsage)
        #expect(issued.serialNumber != bundle.issued.certificate.serialNumber)
        #expect(abs(issued.notAfter.timeIntervalSince(issued.notBefore) - 90 * 86_400) < 3_600)
        #expect(try PeerCertificate(pem: renewal.ca).fingerprintSHA256 == harness.pki.authority.certificate.fingerprintSHA256)
        // The chain: the new certificate, then the intermediate that signed it (never the root key).
        #expect(renewal.certificate == issued.pem + harness.pki.authority.intermediatePEM)
        #expect(issued.issuerCommonName == harness.pki.authority.intermediate.commonName)
        let rows = try await harness.query("SELECT status FROM certificates WHERE serial = $1", [.string(issued.serialNumber)])
        #expect(rows.first?.string("status") == "active")
        #expect(try await harness.count("SELECT count(*) FROM pki_audit WHERE action = 'renewal' AND outcome = 'success'") == 1)

        let other = try CertificateRequest.generate(commonName: "db-01")
        try await connection.send(AgentMessage.renew(RenewalRequest(csr: other.requestPEM)).jsonValue.jsonText())
        guard case .error(let report) = try await connection.receive() else { throw HarnessError("expected a refusal") }
        #expect(report.code == .nameMismatch)
        #expect(!report.fatal)
        try await connection.send(#"{"type":"renew","csr":"garbage"}"#)
        guard case .error(let garbage) = try await connection.receive() else { throw HarnessError("expected a refusal") }
        #expect(garbage.code == .csrInvalid)
        try await connection.send(TestEvents.frame(seq: 1, count: 1))
        #expect(try await connection.receive() == .ack(Ack(sequenceNumber: 1, stored: 1, duplicates: 0)), "the session goes on")
        await connection.close()
        await harness.stop()
    }
}
