import HeimdallPKI
import Testing

@Suite struct HostNameTests {
    @Test(arguments: ["web-01", "WEB-01", "a", "db.internal.example.com", "1host", String(repeating: "a", count: 63)])
    func validNamesAreNormalized(name: String) throws {
        #expect(try HostName.normalize(name) == name.lowercased())
    }

    @Test(arguments: [
        "", "-web", "web-", "we_b", "a..b", ".web", "web.", "web 01", "wéb", "web/01", "web:1",
        String(repeating: "a", count: 64), String(repeating: "a.", count: 127),
    ])
    func invalidNamesAreRejected(name: String) throws {
        let error = #expect(throws: PKIError.self) { try HostName.normalize(name) }
        #expect(error?.code == .invalidName)
        #expect(error?.description.contains("host name") == true)
    }

    @Test func issuingRejectsBadHostNames() throws {
        let authority = try CertificateAuthority.create()
        let error = #expect(throws: PKIError.self) { try authority.issueHostCertificate(host: "bad_name") }
        #expect(error?.code == .invalidName)
    }

    @Test func hubNamesMayBeIPAddresses() throws {
        let profile = try CertificateProfile.hub(names: ["192.0.2.7", "hub.example.net", "::1"])
        #expect(profile.commonName == "192.0.2.7")
        #expect(profile.ipAddresses == ["127.0.0.1", "192.0.2.7", "::1"])
        #expect(profile.dnsNames == ["localhost", "hub.example.net"])
        #expect(throws: PKIError.self) { try CertificateProfile.hub(names: ["bad name"]) }
    }

    @Test func privateKeyRoundTripsThroughPEM() throws {
        let key = try PrivateKey.generateP256()
        #expect(key.pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(try PrivateKey(pem: key.pem).pem == key.pem)
        #expect(throws: PKIError.self) { try PrivateKey(pem: "nope") }
    }
}
