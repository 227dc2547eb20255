import Foundation
import HeimdallSystem
import Testing

@Suite struct SecureFileTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.path + "/heimdall-securefile-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    private func cleanUp() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test func writesWithMode0600() throws {
        defer { cleanUp() }
        let path = directory + "/secret.key"
        try SecureFile.write(text: "secret", to: path)
        #expect(try mode(path) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "secret")
        #expect(try !SecureFile.isGroupOrWorldAccessible(path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["secret.key"])
    }

    @Test func refusesOverwriteWhenAsked() throws {
        defer { cleanUp() }
        let path = directory + "/secret.key"
        try SecureFile.write(text: "first", to: path, overwrite: false)
        let error = #expect(throws: SecureFileError.self) {
            try SecureFile.write(text: "second", to: path, overwrite: false)
        }
        #expect(error?.code == .alreadyExists)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["secret.key"])
    }

    @Test func replacesWhenAllowed() throws {
        defer { cleanUp() }
        let path = directory + "/secret.key"
        _ = FileManager.default.createFile(atPath: path, contents: Data("old".utf8), attributes: [.posixPermissions: 0o644])
        try SecureFile.write(text: "new", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        #expect(try mode(path) == 0o600)
    }

    @Test(arguments: [(0o600, false), (0o400, false), (0o640, true), (0o604, true), (0o644, true), (0o660, true)])
    func detectsLooseModes(permissions: Int, loose: Bool) throws {
        defer { cleanUp() }
        let path = directory + "/key"
        _ = FileManager.default.createFile(atPath: path, contents: Data("k".utf8))
        try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
        #expect(try SecureFile.isGroupOrWorldAccessible(path) == loose)
    }

    @Test func missingFileIsAnError() throws {
        defer { cleanUp() }
        let error = #expect(throws: SecureFileError.self) {
            try SecureFile.isGroupOrWorldAccessible(directory + "/missing")
        }
        #expect(error?.code == .statFailed)
    }

    @Test func missingDirectoryIsAnIOError() throws {
        defer { cleanUp() }
        let error = #expect(throws: SecureFileError.self) {
            try SecureFile.write(text: "x", to: directory + "/no/such/file")
        }
        #expect(error?.code == .io)
    }
}
