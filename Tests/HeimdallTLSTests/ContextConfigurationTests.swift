import Foundation
import HeimdallTestSupport
import HeimdallTLS
import Testing

@Suite struct ContextConfigurationTests {
    @Test func serverRefusesWorldReadableKey() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: pki.hubKeyPath)
        let configuration = TLSServerConfiguration(
            certificateChainPath: pki.hubCertificatePath, privateKeyPath: pki.hubKeyPath, trustRootsPath: pki.caPath
        )
        let error = #expect(throws: TLSError.self) { try TLSContext.server(configuration) }
        #expect(error?.code == .insecureKeyPermissions)
        #expect(error?.description.contains("chmod 600") == true)
    }

    @Test func clientRefusesGroupReadableKey() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let bundle = try pki.hostBundle("web-01")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: bundle.keyPath)
        let configuration = TLSClientConfiguration(
            certificateChainPath: bundle.certificatePath, privateKeyPath: bundle.keyPath,
            trustRootsPath: bundle.caPath, serverName: "localhost"
        )
        let error = #expect(throws: TLSError.self) { try TLSContext.client(configuration) }
        #expect(error?.code == .insecureKeyPermissions)
    }

    @Test func missingFilesAreInvalidConfiguration() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let configuration = TLSServerConfiguration(
            certificateChainPath: pki.root + "/missing.pem", privateKeyPath: pki.hubKeyPath, trustRootsPath: pki.caPath
        )
        let error = #expect(throws: TLSError.self) { try TLSContext.server(configuration) }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test func peerCertificateParsesPEMAndDER() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let fromFile = try PeerCertificate.load(path: pki.hubCertificatePath)
        let fromDER = try PeerCertificate(der: fromFile.der)
        #expect(fromDER == fromFile)
        #expect(fromFile.commonName == "hub.heimdall.test")
        #expect(fromFile.dnsNames == ["localhost", "hub.heimdall.test"])
        #expect(fromFile.ipAddresses == ["127.0.0.1"])
        #expect(!fromFile.hasClientAuthUsage)
        #expect(fromFile.serialNumber.count == 32)
        #expect(fromFile.serialNumber == fromFile.serialNumber.uppercased())
        #expect(fromFile.notBefore < Date() && Date() < fromFile.notAfter)
        #expect(throws: TLSError.self) { try PeerCertificate(pem: "not a certificate") }
    }

    @Test func revocationListNormalizesSerials() {
        let list = RevocationList(["ab:cd"])
        #expect(list.contains("ABCD"))
        list.insert("0f")
        #expect(list.contains("0F"))
        list.replaceAll(["11"])
        #expect(!list.contains("ABCD"))
        #expect(list.count == 1)
    }
}
