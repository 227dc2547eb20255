import Foundation
import HeimdallPKI
import HeimdallTestSupport
import HeimdallTLS
import Testing

@Suite struct SigningRequestTests {
    @Test func signsAValidRequest() throws {
        let authority = try CertificateAuthority.create()
        let request = try CertificateRequest.generate(commonName: "web-01")
        #expect(request.requestPEM.hasPrefix("-----BEGIN CERTIFICATE REQUEST-----"))
        let signed = try authority.sign(requestPEM: request.requestPEM, host: "WEB-01")
        #expect(signed.certificate.commonName == "web-01")
        #expect(signed.certificate.dnsNames == ["web-01"])
        #expect(signed.certificate.hasClientAuthUsage)
        #expect(signed.certificate.issuerCommonName?.hasPrefix("Heimdall CA Intermediate ") == true)
        let key = try PrivateKey(pem: request.privateKeyPEM)
        #expect(key.pem == request.privateKeyPEM)
    }

    @Test func refusesNameMismatch() throws {
        let authority = try CertificateAuthority.create()
        let request = try CertificateRequest.generate(commonName: "web-02")
        let error = #expect(throws: PKIError.self) {
            try authority.sign(requestPEM: request.requestPEM, host: "web-01")
        }
        #expect(error?.code == .nameMismatch)
    }

    @Test func refusesGarbageAndTamperedRequests() throws {
        let authority = try CertificateAuthority.create()
        let garbage = #expect(throws: PKIError.self) { try authority.sign(requestPEM: "nonsense", host: "web-01") }
        #expect(garbage?.code == .csrInvalid)
        let request = try CertificateRequest.generate(commonName: "web-01")
        let other = try CertificateRequest.generate(commonName: "web-01")
        // Splice another request's signature onto this one: the signature no longer verifies.
        let body = request.requestPEM.split(separator: "\n").dropFirst().dropLast().joined()
        let otherBody = other.requestPEM.split(separator: "\n").dropFirst().dropLast().joined()
        let der = try #require(Data(base64Encoded: body))
        let otherDER = try #require(Data(base64Encoded: otherBody))
        var tampered = der
        tampered.replaceSubrange((der.count - 20)..., with: otherDER.suffix(20))
        let pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + tampered.base64EncodedString(options: .lineLength64Characters)
            + "\n-----END CERTIFICATE REQUEST-----\n"
        let error = #expect(throws: PKIError.self) { try authority.sign(requestPEM: pem, host: "web-01") }
        #expect(error?.code == .csrInvalid)
    }

    @Test func refusesWeakKeys() throws {
        let authority = try CertificateAuthority.create()
        let directory = FileManager.default.temporaryDirectory.path + "/heimdall-csr-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try OpenSSLTool.run([
            "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", directory + "/k.pem",
            "-subj", "/CN=web-01", "-out", directory + "/r.pem",
        ])
        #expect(result.status == 0)
        let pem = try String(contentsOfFile: directory + "/r.pem", encoding: .utf8)
        let error = #expect(throws: PKIError.self) { try authority.sign(requestPEM: pem, host: "web-01") }
        #expect(error?.code == .csrInvalid)
    }
}
