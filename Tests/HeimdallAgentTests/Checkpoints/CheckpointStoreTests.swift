import Foundation
import Testing
@testable import HeimdallAgent

@Suite struct CheckpointStoreTests {
    let positions = [
        "/var/log/auth.log": FilePosition(identity: FileIdentity(device: 2049, inode: 1_234_567, generation: 3), offset: 98_765),
        "/var/log/syslog": FilePosition(identity: FileIdentity(device: 2049, inode: UInt64.max - 1), offset: 0),
    ]

    @Test func missingFileIsAFirstRun() throws {
        let dir = try TemporaryDirectory()
        let loaded = CheckpointStore(stateDirectory: dir.path, logger: testLogger).load()
        #expect(loaded.positions.isEmpty && loaded.problem == nil && loaded.quarantinedPath == nil)
    }

    @Test func saveThenLoadRoundTrips() throws {
        let dir = try TemporaryDirectory()
        let store = CheckpointStore(stateDirectory: dir.path, logger: testLogger)
        try store.save(positions)
        #expect(store.load().positions == positions)
        try store.save([:])
        #expect(store.load().positions.isEmpty)
        var info = stat()
        #expect(stat(store.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    @Test func corruptFileIsReportedAndMovedAside() throws {
        let dir = try TemporaryDirectory()
        let store = CheckpointStore(stateDirectory: dir.path, logger: testLogger)
        try Files.write(store.path, "{\"version\":1,\"files\":{\"/x\":{\"offset\":\"oops\"")
        let loaded = store.load(now: Date(timeIntervalSince1970: 1_790_000_000))
        #expect(loaded.positions.isEmpty)
        #expect(loaded.problem?.code == .corrupt)
        #expect(loaded.quarantinedPath == store.path + ".corrupt-1790000000")
        #expect(FileManager.default.fileExists(atPath: store.path + ".corrupt-1790000000"))
        #expect(!FileManager.default.fileExists(atPath: store.path))
        // Starts fresh: the next save and load work.
        try store.save(positions)
        #expect(store.load().positions == positions)
    }

    @Test func unknownVersionIsReported() throws {
        let dir = try TemporaryDirectory()
        let store = CheckpointStore(stateDirectory: dir.path, logger: testLogger)
        try Files.write(store.path, "{\"version\":9,\"files\":{}}")
        #expect(store.load().problem?.code == .unsupportedVersion)
    }

    @Test func saveIntoMissingDirectoryFailsWithCode() throws {
        let store = CheckpointStore(stateDirectory: "/nonexistent-heimdall-dir", logger: testLogger)
        #expect(throws: CheckpointError.self) { try store.save(positions) }
    }
}
