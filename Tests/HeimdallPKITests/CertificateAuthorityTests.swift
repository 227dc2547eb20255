import Foundation
import HeimdallPKI
import HeimdallTestSupport
import Testing

@Suite struct CertificateAuthorityTests {
    @Test func initializeWritesCAAndHubFiles() throws {
        let pki = try TestPKI(hubNames: ["hub.example.net", "10.0.0.5"])
        defer { pki.remove() }
        for name in ["ca.pem", "intermediate.key", "intermediate.pem", "hub.key", "hub.pem"] {
            #expect(FileManager.default.fileExists(atPath: pki.caDirectory + "/" + name))
        }
        #expect(!FileManager.default.fileExists(atPath: pki.caDirectory + "/ca.key"))
        #expect(try fileMode(pki.rootKeyPath) == 0o600) // written 0600 by init, then moved offline by TestPKI
        #expect(try fileMode(pki.caDirectory + "/intermediate.key") == 0o600)
        #expect(try fileMode(pki.hubKeyPath) == 0o600)
    }

    @Test func caCertificateHasCAExtensions() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let text = try OpenSSLTool.text(pki.caPath)
        #expect(text.contains("X509v3 Basic Constraints: critical"))
        #expect(text.contains("CA:TRUE"))
        #expect(text.contains("X509v3 Key Usage: critical"))
        #expect(text.contains("Certificate Sign, CRL Sign"))
        #expect(text.contains("X509v3 Subject Key Identifier"))
        #expect(text.contains("X509v3 Authority Key Identifier"))
        #expect(text.contains("ecdsa-with-SHA256"))
        #expect(text.contains("prime256v1"))
        #expect(pki.authority.certificate.commonName == "Heimdall Test CA")
    }

    @Test func hubCertificateProfile() throws {
        let pki = try TestPKI(hubNames: ["Hub.Example.net", "10.0.0.5"])
        defer { pki.remove() }
        let text = try OpenSSLTool.text(pki.hubCertificatePath)
        #expect(text.contains("TLS Web Server Authentication"))
        #expect(!text.contains("TLS Web Client Authentication"))
        #expect(text.contains("Digital Signature"))
        #expect(text.contains("DNS:localhost, IP Address:127.0.0.1, IP Address:10.0.0.5, DNS:hub.example.net")
            || text.contains("DNS:localhost, DNS:hub.example.net, IP Address:127.0.0.1, IP Address:10.0.0.5"))
        #expect(text.contains("CA:FALSE"))
        let verify = try OpenSSLTool.run(["verify", "-CAfile", pki.caPath, "-untrusted", pki.intermediatePath, pki.hubCertificatePath])
        #expect(verify.status == 0)
        let hub = try pki.authority.issueHubCertificate(names: [])
        #expect(hub.certificate.commonName == "heimdall-hub")
    }

    @Test func hostCertificateProfile() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let bundle = try pki.hostBundle("Web-01.Example.com")
        let cert = bundle.issued.certificate
        #expect(cert.commonName == "web-01.example.com")
        #expect(cert.dnsNames == ["web-01.example.com"])
        #expect(cert.ipAddresses.isEmpty)
        #expect(cert.hasClientAuthUsage)
        let text = try OpenSSLTool.text(bundle.certificatePath)
        #expect(text.contains("TLS Web Client Authentication"))
        #expect(!text.contains("TLS Web Server Authentication"))
        #expect(text.contains("X509v3 Key Usage: critical"))
        #expect(text.contains("Digital Signature"))
        #expect(text.contains("serial=\(cert.serialNumber)\n"))
        let colons = cert.fingerprintSHA256.uppercased().chunked(2).joined(separator: ":")
        #expect(text.contains("sha256 Fingerprint=\(colons)"))
        let verify = try OpenSSLTool.run([
            "verify", "-CAfile", pki.caPath, "-untrusted", pki.intermediatePath, "-purpose", "sslclient", bundle.certificatePath,
        ])
        #expect(verify.status == 0)
    }

    @Test func serialsAre128BitRandomAndPositive() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        var serials = Set<String>()
        for index in 0 ..< 8 {
            let serial = try pki.authority.issueHostCertificate(host: "host-\(index)").certificate.serialNumber
            #expect(serial.count == 32)
            #expect(serial.allSatisfy { $0.isHexDigit && !$0.isLowercase })
            #expect(Int(String(serial.prefix(1)), radix: 16).map { $0 >= 8 } == true)
            serials.insert(serial)
        }
        #expect(serials.count == 8)
    }

    @Test func initializeRefusesExistingCA() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let error = #expect(throws: PKIError.self) {
            try CertificateAuthority.initialize(directory: pki.caDirectory)
        }
        #expect(error?.code == .alreadyInitialized)
        try FileManager.default.removeItem(atPath: pki.caPath)
        let intermediateOnly = #expect(throws: PKIError.self) {
            try CertificateAuthority.initialize(directory: pki.caDirectory)
        }
        #expect(intermediateOnly?.code == .alreadyInitialized)
    }

    @Test func loadRoundTripsAndIssues() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let loaded = try CertificateAuthority.load(directory: pki.caDirectory)
        #expect(loaded.certificate == pki.authority.certificate)
        let issued = try loaded.issueHostCertificate(host: "db-01")
        let bundle = try pki.bundle(issued, name: "db-01")
        let verify = try OpenSSLTool.run(["verify", "-CAfile", pki.caPath, "-untrusted", bundle.certificatePath, bundle.certificatePath])
        #expect(verify.status == 0)
    }

    @Test func loadRefusesLooseCAKey() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: pki.caDirectory + "/intermediate.key")
        let error = #expect(throws: PKIError.self) { try CertificateAuthority.load(directory: pki.caDirectory) }
        #expect(error?.code == .insecureKeyPermissions)
    }

    @Test func writeBundleWritesKeyPrivately() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let bundle = try pki.hostBundle("web-01")
        #expect(try fileMode(bundle.keyPath) == 0o600)
        #expect(try String(contentsOfFile: bundle.caPath, encoding: .utf8) == pki.authority.certificatePEM)
        #expect(try String(contentsOfFile: bundle.certificatePath, encoding: .utf8) == bundle.issued.certificatePEM + pki.authority.intermediatePEM)
        let key = try PrivateKey.load(path: bundle.keyPath)
        #expect(key.pem == bundle.issued.privateKey.pem)
        let check = try OpenSSLTool.run(["x509", "-in", bundle.certificatePath, "-noout", "-pubkey"])
        let keyCheck = try OpenSSLTool.run(["pkey", "-in", bundle.keyPath, "-pubout"])
        #expect(check.output == keyCheck.output)
    }

    @Test func badProfilesAreRefused() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let now = Date()
        let error = #expect(throws: PKIError.self) {
            try pki.authority.issue(CertificateProfile(
                commonName: "x", extendedKeyUsages: [.clientAuth], notBefore: now, notAfter: now - 1
            ))
        }
        #expect(error?.code == .invalidProfile)
    }
}

extension String {
    func chunked(_ size: Int) -> [String] {
        var chunks: [String] = []
        var current = ""
        for character in self {
            current.append(character)
            if current.count == size {
                chunks.append(current)
                current = ""
            }
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }
}
