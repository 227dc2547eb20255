import Foundation
import HeimdallPKI
import HeimdallProtocol
import HeimdallStore
import HeimdallTLS
import HeimdallTestSupport
import Testing

/// Tokens and the enrollment check against a real PostgreSQL database and a per-run PKI.
@Suite(.serialized) struct EnrollmentServiceTests {
    private struct Fixture {
        let pki: TestPKI
        let inventory: CertificateInventory
        let service: EnrollmentService
    }

    private func fixture(_ name: String, poolSize: Int = 1) async throws -> Fixture {
        let pki = try TestPKI()
        let database = try await TestDatabase.freshDatabase(name: name, poolSize: poolSize)
        return Fixture(
            pki: pki, inventory: CertificateInventory(database: database, pkiDirectory: pki.caDirectory, actor: "tester"),
            service: EnrollmentService(database: database, authority: pki.authority, sessionAddress: "hub.test:7443", certificateDays: 90)
        )
    }

    private func request(_ token: String, name: String) throws -> EnrollRequest {
        EnrollRequest(token: token, csr: try CertificateRequest.generate(commonName: name).requestPEM)
    }

    @Test func tokenIsStoredHashedAndEnrollsOnce() async throws {
        let fixture = try await fixture("enroll_once")
        defer { fixture.pki.remove() }
        let created = try await fixture.inventory.createToken(host: "Web-02", lifetime: 3600, enrollAddress: "127.0.0.1:7444")
        let token = try EnrollmentToken.decode(created.text)
        #expect(token.host == "web-02" && token.caFingerprint == fixture.pki.authority.certificate.fingerprintSHA256.lowercased())
        #expect(abs(created.expiresAt.timeIntervalSinceNow - 3600) < 60)
        let rows = try await fixture.inventory.database.withConnection { try $0.query("SELECT * FROM enrollment_tokens") }
        #expect(rows.count == 1)
        let stored: String = try #require(rows.first).require("secret_sha256")
        #expect(stored == SHA256Digest.hex(token.secret))
        #expect(!created.text.contains(stored))
        #expect(try await fixture.inventory.pendingTokens().map(\.id) == [created.id])

        guard case .success(let enrolled) = await fixture.service.enroll(try request(created.text, name: "web-02"), from: "192.0.2.1") else {
            Issue.record("enrollment refused")
            return
        }
        #expect(enrolled.host == "web-02" && enrolled.hub == "hub.test:7443" && enrolled.ca == fixture.pki.authority.certificatePEM)
        let certificate = try PeerCertificate(pem: enrolled.certificate)
        #expect(certificate.dnsNames == ["web-02"] && certificate.hasClientAuthUsage)
        #expect(enrolled.certificate == certificate.pem + fixture.pki.authority.intermediatePEM) // leaf, then intermediate
        #expect(certificate.notAfter.timeIntervalSinceNow > 89 * 86_400 && certificate.notAfter.timeIntervalSinceNow < 91 * 86_400)
        #expect(try await fixture.inventory.pendingTokens().isEmpty)

        let again = await fixture.service.enroll(try request(created.text, name: "web-02"), from: "192.0.2.1")
        #expect(again.failureCode == .tokenUsed)
        let actions = try await fixture.inventory.database.withConnection { try PKIAuditLog().entries(on: $0) }.map { "\($0.action)/\($0.outcome)" }
        #expect(actions == ["enroll/success", "enrollment/success", "enrollment/failure"])
    }

    @Test func racingAgentsExactlyOneWins() async throws {
        let fixture = try await fixture("enroll_race", poolSize: 4)
        defer { fixture.pki.remove() }
        let created = try await fixture.inventory.createToken(host: "web-02", lifetime: 3600, enrollAddress: "127.0.0.1:7444")
        let requests = try (0..<8).map { _ in try request(created.text, name: "web-02") }
        let service = fixture.service
        let results = await withTaskGroup(of: Result<Enrolled, ProtocolError>.self) { group in
            for request in requests { group.addTask { await service.enroll(request, from: "192.0.2.9") } }
            var all: [Result<Enrolled, ProtocolError>] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.filter { if case .success = $0 { true } else { false } }.count == 1)
        #expect(results.compactMap(\.failureCode) == Array(repeating: .tokenUsed, count: 7))
        let certificates = try await fixture.inventory.list()
        #expect(certificates.count == 1)
    }

    @Test func badInputChangesNothing() async throws {
        let fixture = try await fixture("enroll_bad_input")
        defer { fixture.pki.remove() }
        let created = try await fixture.inventory.createToken(host: "web-02", lifetime: 3600, enrollAddress: "127.0.0.1:7444")
        let service = fixture.service
        #expect(await service.enroll(try request(created.text, name: "web-03"), from: nil).failureCode == .nameMismatch)
        #expect(await service.enroll(EnrollRequest(token: created.text, csr: "garbage"), from: nil).failureCode == .csrInvalid)
        var token = try EnrollmentToken.decode(created.text)
        token.secret[0] ^= 1
        #expect(await service.enroll(try request(token.encoded, name: "web-02"), from: nil).failureCode == .invalidToken)
        #expect(await service.enroll(try request(String(created.text.dropLast(8)), name: "web-02"), from: nil).failureCode == .invalidToken)
        var foreign = try EnrollmentToken.decode(created.text)
        foreign.caFingerprint = String(repeating: "0", count: 64)
        #expect(await service.enroll(try request(foreign.encoded, name: "web-02"), from: nil).failureCode == .invalidToken)
        // None of that burned the token.
        #expect(try await fixture.inventory.pendingTokens().count == 1)
        #expect(try await fixture.inventory.list().isEmpty)
        #expect(await service.enroll(try request(created.text, name: "WEB-02"), from: nil).failureCode == nil)
    }

    @Test func expiredAndCancelledTokens() async throws {
        let fixture = try await fixture("enroll_expired")
        defer { fixture.pki.remove() }
        let expired = try await fixture.inventory.createToken(host: "web-02", lifetime: 3600, enrollAddress: "127.0.0.1:7444")
        try await fixture.inventory.database.withConnection { connection in
            _ = try connection.execute(
                "UPDATE enrollment_tokens SET expires_at = now() - interval '1 second' WHERE id = $1", [.string(expired.id)]
            )
        }
        #expect(await fixture.service.enroll(try request(expired.text, name: "web-02"), from: nil).failureCode == .tokenExpired)

        let cancelled = try await fixture.inventory.createToken(host: "web-02", lifetime: 3600, enrollAddress: "127.0.0.1:7444")
        #expect(try await fixture.inventory.cancelToken(id: cancelled.id) == "web-02")
        await #expect(throws: InventoryError.self) { try await fixture.inventory.cancelToken(id: cancelled.id) }
        #expect(await fixture.service.enroll(try request(cancelled.text, name: "web-02"), from: nil).failureCode == .invalidToken)
        #expect(try await fixture.inventory.pendingTokens().isEmpty)
        await #expect(throws: InventoryError.self) {
            try await fixture.inventory.createToken(host: "web-02", lifetime: 60, enrollAddress: "no-port")
        }
        await #expect(throws: PKIError.self) {
            try await fixture.inventory.createToken(host: "bad host!", lifetime: 60, enrollAddress: "127.0.0.1:7444")
        }
    }
}

extension Result where Failure == ProtocolError {
    /// The refusal's code, nil on success.
    var failureCode: ProtocolErrorCode? {
        if case .failure(let error) = self { return error.code }
        return nil
    }
}
