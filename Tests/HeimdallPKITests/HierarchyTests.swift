import Foundation
import HeimdallPKI
import HeimdallTestSupport
import HeimdallTLS
import Testing

/// The two-level hierarchy: root (offline) -> issuing intermediate -> hosts, hub and CRL.
/// ``TestPKI`` moves `root.key` out of the CA directory, so every test here (and every other
/// suite) also shows that only `rotate-intermediate` needs the root key.
@Suite struct HierarchyTests {
    private func verify(_ pki: TestPKI, _ certificate: String, untrusted: String? = nil, purpose: String? = nil) throws -> Int32 {
        var arguments = ["verify", "-CAfile", pki.caPath, "-untrusted", untrusted ?? pki.intermediatePath]
        if let purpose { arguments += ["-purpose", purpose] }
        return try OpenSSLTool.run(arguments + [certificate]).status
    }

    private func certificates(in path: String) throws -> [PeerCertificate] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let marker = "-----END CERTIFICATE-----"
        return try text.components(separatedBy: marker).dropLast().map { try PeerCertificate(pem: $0 + marker + "\n") }
    }

    @Test func shapeOfTheHierarchy() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let root = try OpenSSLTool.text(pki.caPath)
        #expect(root.contains("CA:TRUE, pathlen:1"))
        #expect(root.contains("Certificate Sign, CRL Sign"))
        let intermediate = try OpenSSLTool.text(pki.intermediatePath)
        #expect(intermediate.contains("CA:TRUE, pathlen:0"))
        #expect(intermediate.contains("Certificate Sign, CRL Sign"))
        let authority = pki.authority
        #expect(authority.certificate.commonName == "Heimdall Test CA")
        #expect(authority.certificate.issuerCommonName == "Heimdall Test CA")
        #expect(authority.intermediate.issuerCommonName == "Heimdall Test CA")
        #expect(authority.intermediate.commonName?.hasPrefix("Heimdall Test CA Intermediate ") == true)
        #expect(authority.certificate.notAfter.timeIntervalSinceNow > 19 * 365 * 86_400)
        #expect(authority.intermediate.notAfter.timeIntervalSinceNow > 4 * 365 * 86_400)
        #expect(authority.intermediate.notAfter <= authority.certificate.notAfter)
        #expect(authority.chainPEM == authority.intermediatePEM)
        // The intermediate itself chains to the root; a leaf cannot skip it.
        #expect(try OpenSSLTool.run(["verify", "-CAfile", pki.caPath, pki.intermediatePath]).status == 0)
        let bundle = try pki.hostBundle("web-01")
        #expect(try verify(pki, bundle.certificatePath, purpose: "sslclient") == 0)
        #expect(try OpenSSLTool.run(["verify", "-CAfile", pki.caPath, bundle.certificatePath]).status != 0)
        #expect(try verify(pki, bundle.certificatePath, untrusted: bundle.certificatePath) == 0) // host.pem carries its chain
        #expect(bundle.issued.certificate.issuerCommonName == authority.intermediate.commonName)
    }

    @Test func hubChainIsLeafIntermediateRoot() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let chain = try certificates(in: pki.hubCertificatePath)
        #expect(chain.map(\.fingerprintSHA256) == [
            chain.first?.fingerprintSHA256 ?? "", pki.authority.intermediate.fingerprintSHA256, pki.authority.certificate.fingerprintSHA256,
        ])
        #expect(chain.first?.issuerCommonName == pki.authority.intermediate.commonName)
        #expect(try verify(pki, pki.hubCertificatePath, purpose: "sslserver") == 0)
    }

    @Test func issuesSignsAndPublishesCRLWithoutTheRootKey() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        #expect(!FileManager.default.fileExists(atPath: pki.caDirectory + "/root.key"))
        let loaded = try CertificateAuthority.load(directory: pki.caDirectory)
        #expect(loaded.certificate == pki.authority.certificate)
        #expect(loaded.intermediate == pki.authority.intermediate)
        let request = try CertificateRequest.generate(commonName: "db-01")
        let signed = try loaded.sign(requestPEM: request.requestPEM, host: "db-01")
        #expect(signed.chainPEM == signed.certificatePEM + loaded.intermediatePEM)
        let path = pki.root + "/signed.pem"
        try signed.chainPEM.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try verify(pki, path, untrusted: path, purpose: "sslclient") == 0)
        let crl = try RevocationListBuilder.pem(
            pkiDirectory: pki.caDirectory, revoked: [RevokedCertificate(serial: signed.certificate.serialNumber, revokedAt: Date(), reason: nil)]
        )
        let crlPath = pki.root + "/crl.pem"
        try crl.write(toFile: crlPath, atomically: true, encoding: .utf8)
        let checked = try OpenSSLTool.run(["crl", "-in", crlPath, "-CAfile", pki.intermediatePath, "-noout", "-issuer"])
        #expect(checked.status == 0 && checked.output.contains("verify OK"))
        #expect(checked.output.contains("Heimdall Test CA Intermediate "))
        // A full check of the revoked leaf against root, intermediate and CRL.
        let revoked = try OpenSSLTool.run([
            "verify", "-crl_check", "-CAfile", pki.caPath, "-untrusted", pki.intermediatePath, "-CRLfile", crlPath, path,
        ])
        #expect(revoked.status != 0 && revoked.output.contains("revoked"))
    }

    @Test func loadRefusesAnIntermediateFromAnotherRoot() throws {
        let pki = try TestPKI()
        let foreign = try TestPKI()
        defer { pki.remove(); foreign.remove() }
        try FileManager.default.removeItem(atPath: pki.caPath)
        try FileManager.default.copyItem(atPath: foreign.caPath, toPath: pki.caPath)
        let error = #expect(throws: PKIError.self) { try CertificateAuthority.load(directory: pki.caDirectory) }
        #expect(error?.code == .crypto)
    }

    @Test func loadsALegacyOneLevelDirectory() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let legacy = pki.root + "/legacy"
        try FileManager.default.createDirectory(atPath: legacy, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: pki.caDirectory + "/intermediate.key", toPath: legacy + "/ca.key")
        try FileManager.default.copyItem(atPath: pki.intermediatePath, toPath: legacy + "/ca.pem")
        let authority = try CertificateAuthority.load(directory: legacy)
        #expect(authority.chainPEM.isEmpty)
        let issued = try authority.issueHostCertificate(host: "old-style")
        #expect(issued.chainPEM == issued.certificatePEM)
        #expect(issued.certificate.issuerCommonName == authority.certificate.commonName)
    }

    @Test func legacyDirectoryConvertsByRotatingWithItsKeyAsRoot() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let legacy = pki.root + "/legacy"
        try FileManager.default.createDirectory(atPath: legacy, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: pki.rootKeyPath, toPath: legacy + "/ca.key")
        try FileManager.default.copyItem(atPath: pki.caPath, toPath: legacy + "/ca.pem")
        let before = try CertificateAuthority.load(directory: legacy)
        #expect(before.chainPEM.isEmpty && before.intermediate == before.certificate)
        try FileManager.default.moveItem(atPath: legacy + "/ca.key", toPath: legacy + "/root.key")
        let after = try CertificateAuthority.rotateIntermediate(directory: legacy)
        #expect(after.certificate == before.certificate && after.chainPEM == after.intermediatePEM)
        #expect(try CertificateAuthority.load(directory: legacy).intermediate == after.intermediate)
    }

    @Test func rotateIntermediateKeepsOldCertificatesValid() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let old = try pki.hostBundle("old-host")
        let noRoot = #expect(throws: PKIError.self) { try CertificateAuthority.rotateIntermediate(directory: pki.caDirectory) }
        #expect(noRoot?.code == .rootKeyUnavailable)

        let rotated = try pki.rotateIntermediate()
        let oldSerial = pki.authority.intermediate.serialNumber
        #expect(rotated.intermediate.serialNumber != oldSerial)
        #expect(rotated.certificate == pki.authority.certificate)
        #expect(rotated.intermediate.commonName?.hasPrefix("Heimdall Test CA Intermediate ") == true)
        let archived = pki.caDirectory + "/intermediate-\(oldSerial).pem"
        #expect(try String(contentsOfFile: archived, encoding: .utf8) == pki.authority.intermediatePEM)
        #expect(try fileMode(pki.caDirectory + "/intermediate.key") == 0o600)
        #expect(try CertificateAuthority.load(directory: pki.caDirectory).intermediate == rotated.intermediate)

        let fresh = try rotated.issueHostCertificate(host: "new-host")
        let freshPath = pki.root + "/fresh.pem"
        try fresh.chainPEM.write(toFile: freshPath, atomically: true, encoding: .utf8)
        #expect(fresh.certificate.issuerCommonName == rotated.intermediate.commonName)
        #expect(try verify(pki, freshPath, untrusted: freshPath, purpose: "sslclient") == 0)
        #expect(try verify(pki, old.certificatePath, untrusted: old.certificatePath, purpose: "sslclient") == 0)
        #expect(try verify(pki, old.certificatePath, untrusted: archived) == 0)
    }

    @Test func rotateHubCertificateKeepsItsNames() throws {
        let pki = try TestPKI(hubNames: ["hub.example.net", "10.0.0.5"])
        defer { pki.remove() }
        let before = try PeerCertificate.load(path: pki.hubCertificatePath)
        let rotated = try pki.rotateIntermediate()
        let hub = try CertificateAuthority.rotateHubCertificate(directory: pki.caDirectory)
        let after = try PeerCertificate.load(path: pki.hubCertificatePath)
        #expect(after == hub.certificate)
        #expect(after.serialNumber != before.serialNumber)
        #expect(after.commonName == "hub.example.net")
        #expect(Set(after.dnsNames) == Set(before.dnsNames) && Set(after.ipAddresses) == Set(before.ipAddresses))
        #expect(after.issuerCommonName == rotated.intermediate.commonName)
        #expect(try verify(pki, pki.hubCertificatePath, untrusted: pki.hubCertificatePath, purpose: "sslserver") == 0)
        #expect(try PrivateKey.load(path: pki.hubKeyPath).pem == hub.privateKey.pem)
        let renamed = try CertificateAuthority.rotateHubCertificate(directory: pki.caDirectory, hubNames: ["hub2.example.net"])
        #expect(renamed.certificate.dnsNames.contains("hub2.example.net") && !renamed.certificate.dnsNames.contains("hub.example.net"))
    }
}
