import Foundation
import HeimdallStore
import HeimdallTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct DatabaseLocationTests {
    @Test func explicitURLWins() {
        let location = DatabaseLocation.resolve(databaseURL: "postgresql://a/b", dataDirectory: "/x", environment: ["HEIMDALL_DATABASE_URL": "postgresql://env/db"])
        #expect(location == .url("postgresql://a/b"))
    }

    @Test func environmentNext() {
        let location = DatabaseLocation.resolve(databaseURL: nil, dataDirectory: "/x", environment: ["HEIMDALL_DATABASE_URL": "postgresql://env/db"])
        #expect(location == .url("postgresql://env/db"))
        #expect(!location.description.contains("env/db"))
    }

    @Test func embeddedClusterUnderDataDirectory() {
        let location = DatabaseLocation.resolve(databaseURL: "", dataDirectory: "/srv/heimdall", environment: [:])
        #expect(location == .embedded(clusterDirectory: URL(fileURLWithPath: "/srv/heimdall/postgres", isDirectory: true)))
        let fallback = DatabaseLocation.resolve(databaseURL: nil, dataDirectory: nil, environment: [:])
        let expected = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".heimdall/postgres").standardizedFileURL.path
        #expect(fallback.cluster?.directory.path == expected)
    }

    @Test func aNewClusterGetsTheIngestSettings() async throws {
        let connection = try PostgresConnection(url: try await TestDatabase.cluster().connectionURL())
        #expect(try connection.query("SHOW max_wal_size").first?.string("max_wal_size") == "4GB")
        #expect(try connection.query("SHOW checkpoint_timeout").first?.string("checkpoint_timeout") == "15min")
    }

    @Test func clusterURLUsesItsSocketDirectory() {
        let cluster = PostgresCluster(directory: URL(fileURLWithPath: "/tmp/a b/pg"), port: 6543)
        #expect(cluster.connectionURL(database: "heimdall") == "postgresql://heimdall@/heimdall?host=%2Ftmp%2Fa%20b%2Fpg&port=6543")
    }
}

@Suite(.serialized) struct ClusterPermissionTests {
    @Test func unreachableDirectoryIsNamedInTheError() throws {
        guard geteuid() == 0 else { return }
        let parent = try ChildProcessHelper.mktemp()
        defer { try? FileManager.default.removeItem(at: parent) }
        chmod(parent.path, 0o700)
        let cluster = PostgresCluster(directory: parent.appendingPathComponent("pg"))
        do {
            try cluster.initializeIfNeeded()
            Issue.record("initialized a cluster the postgres user cannot reach")
        } catch let error as PostgresClusterError {
            #expect(error.code == .permissionDenied)
            #expect(error.description.contains(parent.appendingPathComponent("pg").path))
        }
    }
}
