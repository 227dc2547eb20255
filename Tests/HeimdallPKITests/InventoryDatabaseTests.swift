import Foundation
import HeimdallPKI
import HeimdallStore
import HeimdallSystem
import HeimdallTestSupport
import Testing

/// The inventory against a real PostgreSQL database and a per-run PKI.
@Suite(.serialized) struct InventoryDatabaseTests {
    private func fixture(_ name: String) async throws -> (TestPKI, CertificateInventory) {
        let pki = try TestPKI()
        let database = try await TestDatabase.freshDatabase(name: name, poolSize: 1)
        return (pki, CertificateInventory(database: database, pkiDirectory: pki.caDirectory, actor: "tester"))
    }

    @Test func issueListRevokeAndAudit() async throws {
        let (pki, inventory) = try await fixture("inventory_flow")
        defer { pki.remove() }
        let first = try await inventory.issue(host: "Web01.Example.Test", outDirectory: pki.root + "/out1", days: 30)
        let second = try await inventory.issue(host: "web01.example.test", outDirectory: pki.root + "/out2", days: 30)
        let other = try await inventory.issue(host: "db01.example.test", outDirectory: pki.root + "/out3", days: 30)
        #expect(FileManager.default.fileExists(atPath: pki.root + "/out1/host.key"))
        #expect(FileManager.default.fileExists(atPath: pki.root + "/out1/ca.pem"))

        // An expired certificate recorded directly.
        let expired = try pki.expiredBundle("old.example.test").issued.certificate
        try await inventory.database.withConnection { connection in
            try CertificateRecords().insert(
                serial: expired.serialNumber, hostID: "old.example.test", fingerprint: expired.fingerprintSHA256,
                notBefore: expired.notBefore, notAfter: expired.notAfter, pem: expired.pem, on: connection
            )
        }

        var statuses = Dictionary(uniqueKeysWithValues: try await inventory.list().map { ($0.record.serial, $0.status) })
        #expect(statuses[first.certificate.serialNumber] == .superseded)
        #expect(statuses[second.certificate.serialNumber] == .active)
        #expect(statuses[other.certificate.serialNumber] == .active)
        #expect(statuses[expired.serialNumber] == .expired)

        let revoked = try await inventory.revoke(host: "web01.example.test", reason: .keyCompromise)
        #expect(Set(revoked) == [first.certificate.serialNumber, second.certificate.serialNumber])
        let owner = try await inventory.revoke(serial: other.certificate.serialNumber.lowercased(), reason: .superseded)
        #expect(owner == "db01.example.test")
        statuses = Dictionary(uniqueKeysWithValues: try await inventory.list().map { ($0.record.serial, $0.status) })
        #expect(statuses[second.certificate.serialNumber] == .revoked)
        #expect(statuses[other.certificate.serialNumber] == .revoked)

        await #expect(throws: InventoryError(code: .unknownHost, message: "No certificate was ever issued to host nosuch.example.test.")) {
            try await inventory.revoke(host: "nosuch.example.test", reason: .unspecified)
        }
        await #expect(throws: InventoryError(code: .alreadyRevoked, message: "Every certificate of host web01.example.test is already revoked.")) {
            try await inventory.revoke(host: "web01.example.test", reason: .unspecified)
        }
        await #expect(throws: InventoryError(code: .unknownSerial, message: "No certificate has serial ABCDEF.")) {
            try await inventory.revoke(serial: "ab:cd:ef", reason: .unspecified)
        }

        let log = try await inventory.database.withConnection { try PKIAuditLog().entries(on: $0) }
        #expect(log.map(\.action) == ["issue", "issue", "issue", "revoke", "revoke", "revoke", "revoke", "revoke", "revoke"])
        #expect(log.map(\.outcome).filter { $0 == PKIAuditLog.failure }.count == 3)
        #expect(log.allSatisfy { $0.actor == "tester" })
        #expect(log[0].hostID == "web01.example.test")
        #expect(log[0].serial == first.certificate.serialNumber)
        await inventory.database.close()
    }

    @Test func revocationListParsesWithOpenSSL() async throws {
        let (pki, inventory) = try await fixture("inventory_crl")
        defer { pki.remove() }
        let compromised = try await inventory.issue(host: "web01.example.test", outDirectory: pki.root + "/a", days: 30)
        let retired = try await inventory.issue(host: "db01.example.test", outDirectory: pki.root + "/b", days: 30)
        let plain = try await inventory.issue(host: "mail.example.test", outDirectory: pki.root + "/c", days: 30)
        let kept = try await inventory.issue(host: "dns.example.test", outDirectory: pki.root + "/d", days: 30)
        _ = try await inventory.revoke(host: "web01.example.test", reason: .keyCompromise)
        _ = try await inventory.revoke(serial: retired.certificate.serialNumber, reason: .cessationOfOperation)
        _ = try await inventory.revoke(serial: plain.certificate.serialNumber, reason: .unspecified)
        let pem = try await inventory.revocationList()
        await inventory.database.close()

        let path = pki.root + "/crl.pem"
        try pem.write(toFile: path, atomically: true, encoding: .utf8)
        let text = try ChildProcess.run("openssl", ["crl", "-in", path, "-noout", "-text"])
        #expect(text.status == 0)
        #expect(text.output.contains("Version 2"))
        #expect(text.output.contains("ecdsa-with-SHA256"))
        #expect(text.output.contains("Issuer: CN = Heimdall Test CA Intermediate ")) // signed by the intermediate
        #expect(text.output.contains("Serial Number: \(compromised.certificate.serialNumber)"))
        #expect(text.output.contains("Serial Number: \(retired.certificate.serialNumber)"))
        #expect(text.output.contains("Serial Number: \(plain.certificate.serialNumber)"))
        #expect(!text.output.contains(kept.certificate.serialNumber))
        #expect(text.output.contains("Key Compromise"))
        #expect(text.output.contains("Cessation Of Operation"))
        #expect(text.output.components(separatedBy: "CRL Reason Code").count == 3) // unspecified has none

        let verified = try ChildProcess.run("openssl", ["crl", "-in", path, "-CAfile", pki.intermediatePath, "-noout"])
        #expect(verified.status == 0)
        #expect(verified.output.contains("verify OK"))
    }

    @Test func emptyRevocationList() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let now = Date()
        let pem = try RevocationListBuilder.pem(pkiDirectory: pki.caDirectory, revoked: [], now: now)
        let path = pki.root + "/empty.pem"
        try pem.write(toFile: path, atomically: true, encoding: .utf8)
        let text = try ChildProcess.run("openssl", ["crl", "-in", path, "-noout", "-text"])
        #expect(text.status == 0)
        #expect(text.output.contains("No Revoked Certificates"))
        #expect(throws: PKIError.self) {
            try RevocationListBuilder.pem(
                pkiDirectory: pki.caDirectory, revoked: [RevokedCertificate(serial: "xyz", revokedAt: now, reason: nil)]
            )
        }
    }

    @Test func initializeIsAuditedAndRefusesOverwrite() async throws {
        let root = FileManager.default.temporaryDirectory.path + "/heimdall-init-" + UUID().uuidString.lowercased()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let database = try await TestDatabase.freshDatabase(name: "inventory_init", poolSize: 1)
        let inventory = CertificateInventory(database: database, pkiDirectory: root + "/pki", actor: "tester")
        let authority = try await inventory.initialize(caName: "Init CA", hubNames: ["hub.example.test"], days: 30)
        await #expect(throws: PKIError.self) {
            _ = try await inventory.initialize(caName: "Init CA", hubNames: [], days: 30)
        }
        let log = try await database.withConnection { try PKIAuditLog().entries(on: $0) }
        #expect(log.map(\.action) == ["init", "init"])
        #expect(log.map(\.outcome) == [PKIAuditLog.success, PKIAuditLog.failure])
        #expect(log[0].serial == authority.certificate.serialNumber)
        // Host inventory only: the hub certificate is not recorded.
        #expect(try await inventory.list().isEmpty)
        await database.close()
    }

    @Test func auditLogIsAppendOnly() async throws {
        let database = try await TestDatabase.freshDatabase(name: "pki_audit_append_only", poolSize: 1)
        try await database.withConnection { connection in
            try PKIAuditLog().record(actor: "tester", action: "issue", hostID: "h", serial: "0A", outcome: "success", on: connection)
        }
        for statement in ["UPDATE pki_audit SET outcome = 'failure'", "DELETE FROM pki_audit", "TRUNCATE pki_audit"] {
            await #expect(throws: PostgresError.self, "\(statement)") {
                try await database.withConnection { try $0.execute(statement) }
            }
        }
        let log = try await database.withConnection { try PKIAuditLog().entries(on: $0) }
        #expect(log.count == 1)
        #expect(log.first?.outcome == "success")
        await database.close()
    }
}
