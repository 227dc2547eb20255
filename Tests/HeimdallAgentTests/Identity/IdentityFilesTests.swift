import Foundation
import Testing
@testable import HeimdallAgent

@Suite struct IdentityFilesTests {
    let directory = NSTemporaryDirectory() + "heimdall-identity-\(UUID().uuidString.prefix(8))"
    var key: String { directory + "/host.key" }
    var certificate: String { directory + "/host.pem" }

    func prepare(key keyText: String?, certificate certificateText: String?, nextKey: String?, nextCertificate: String?) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (path, text) in [(key, keyText), (certificate, certificateText), (key + ".next", nextKey), (certificate + ".next", nextCertificate)] {
            if let text { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        }
    }

    func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    @Test func bothNextFilesRollForward() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try prepare(key: "old key", certificate: "old cert", nextKey: "new key", nextCertificate: "new cert")
        try IdentityFiles.recover(keyPath: key, certificatePath: certificate)
        #expect(read(key) == "new key")
        #expect(read(certificate) == "new cert")
    }

    @Test func aMovedKeyWithAPendingCertificateRollsForward() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try prepare(key: "new key", certificate: "old cert", nextKey: nil, nextCertificate: "new cert")
        try IdentityFiles.recover(keyPath: key, certificatePath: certificate)
        #expect(read(key) == "new key")
        #expect(read(certificate) == "new cert")
    }

    @Test func aKeyWithoutItsCertificateIsDiscarded() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try prepare(key: "old key", certificate: "old cert", nextKey: "new key", nextCertificate: nil)
        try IdentityFiles.recover(keyPath: key, certificatePath: certificate)
        #expect(read(key) == "old key")
        #expect(read(certificate) == "old cert")
        #expect(!FileManager.default.fileExists(atPath: key + ".next"))
    }

    @Test func installReplacesThePairWithAPrivateKey() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try prepare(key: "old key", certificate: "old cert", nextKey: nil, nextCertificate: nil)
        try IdentityFiles.install(keyPEM: "new key", certificatePEM: "new cert", keyPath: key, certificatePath: certificate)
        #expect(read(key) == "new key")
        #expect(read(certificate) == "new cert")
        let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
