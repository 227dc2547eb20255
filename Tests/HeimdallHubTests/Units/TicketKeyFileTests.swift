import Foundation
@testable import HeimdallHub
import HeimdallTLS
import Testing

/// The hub's session-ticket key file: round trip, mode, and when it is discarded.
struct TicketKeyFileTests {
    let directory = FileManager.default.temporaryDirectory.path + "/heimdall-ticket-keys-" + UUID().uuidString.lowercased()

    func keyring() throws -> SessionTicketKeyring {
        let first = try #require(SessionTicketKeyring(keys: []).rotated(now: Date(timeIntervalSince1970: 1_800_000_000), rotation: 100, lifetime: 50))
        return try #require(first.rotated(now: Date(timeIntervalSince1970: 1_800_000_100), rotation: 100, lifetime: 50))
    }

    @Test func savedKeysLoadAgainWithMode0600() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = TicketKeyFile(path: directory + "/session-ticket-keys", trustRootsDigest: "aa")
        #expect(file.load().keys.isEmpty, "no file yet")
        let keys = try keyring()
        try file.save(keys)
        #expect(file.load() == keys)
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func keysOfOtherTrustRootsOrReadableByOthersAreDiscarded() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/session-ticket-keys"
        try TicketKeyFile(path: path, trustRootsDigest: "aa").save(try keyring())
        #expect(TicketKeyFile(path: path, trustRootsDigest: "bb").load().keys.isEmpty, "another CA: no key is reused")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(TicketKeyFile(path: path, trustRootsDigest: "aa").load().keys.isEmpty, "an exposed file is not trusted")
    }
}
