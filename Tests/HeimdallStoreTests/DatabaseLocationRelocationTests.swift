import Foundation
import Testing
@testable import HeimdallStore

@Suite(.enabled(if: geteuid() == 0, "only root runs the cluster as another user"))
struct DatabaseLocationRelocationTests {
    @Test func anUnreachableDirectoryIsRelocatedStablyAndAReachableOneKept() throws {
        let parent = NSTemporaryDirectory() + "heimdall-private-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let hidden = URL(fileURLWithPath: parent + "/data/postgres")
        let relocated = DatabaseLocation.reachableClusterDirectory(for: hidden)
        #expect(relocated.path.hasPrefix(DatabaseLocation.relocatedClusterRoot + "/"))
        #expect(DatabaseLocation.reachableClusterDirectory(for: hidden) == relocated)

        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: parent)
        #expect(DatabaseLocation.reachableClusterDirectory(for: hidden) == hidden)
    }
}
