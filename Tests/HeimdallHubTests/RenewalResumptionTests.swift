import Foundation
import HeimdallAgent
import HeimdallProtocol
import HeimdallTLS
import Logging
import Testing

/// An agent's saved TLS session must not outlive its certificate: after a renewal the next
/// connection presents the new certificate in a full handshake.
@Suite(.serialized) struct RenewalResumptionTests {
    @Test func aRenewedCertificateDropsTheSavedSession() async throws {
        let harness = try await HubHarness(name: "renewal_resumption")
        let bundle = try harness.pki.hostBundle("web-01")
        let identity = try AgentIdentity(
            certificatePath: bundle.certificatePath, privateKeyPath: bundle.keyPath, caPath: bundle.caPath, logger: Logger(label: "test.agent")
        )
        let resumption = TLSResumption(cache: identity.tlsSessions, key: "hub:7443")
        let first = try await ProbeAgent.connect(port: harness.port, bundle: bundle, caPath: harness.pki.caPath, resumption: resumption)
        #expect(try await first.welcomed())
        #expect(try await harness.eventually { identity.tlsSessions.count == 1 })
        await first.close()

        guard case .renew(let request)? = await identity.renewalRequest(now: Date().addingTimeInterval(29 * 86_400)) else {
            throw HarnessError("no renewal request")
        }
        let signed = try harness.pki.authority.sign(requestPEM: request.csr, host: "web-01", days: 30)
        await identity.renewed(Renewal(certificate: signed.chainPEM, ca: harness.pki.authority.certificatePEM))
        #expect(await identity.current.serialNumber == signed.certificate.serialNumber)
        #expect(identity.tlsSessions.count == 0, "the session holding the old certificate is gone")

        let next = try await ProbeAgent.connect(port: harness.port, bundle: bundle, caPath: harness.pki.caPath, resumption: resumption)
        #expect(try await next.welcomed())
        let handshake = try #require(try await next.handshake.get())
        #expect(!handshake.resumed)
        await next.close()
        await harness.stop()
    }
}
