import Foundation
import HeimdallStore
import HeimdallTestSupport
import Testing

@Suite(.serialized) struct MigrationTests {
    @Test func idempotent() async throws {
        let url = try await TestDatabase.fresh(name: "migrate_once")
        let connection = try PostgresConnection(url: url)
        #expect(try Migrations.apply(on: connection) == Migrations.all.map(\.version))
        #expect(try Migrations.apply(on: connection) == [])
        #expect(try Migrations.appliedVersions(on: connection) == Migrations.all.map(\.version))
        let tables = try connection.query("""
            SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name
            """).map { $0.string("table_name") ?? "" }
        #expect(tables == [
            "certificates", "enrollment_tokens", "events", "events_default", "host_status_changes", "hosts", "pki_audit", "retention_log",
            "schema_migrations", "sessions", "status_snapshots",
        ])
    }

    @Test func concurrentOpenersAreSafe() async throws {
        let url = try await TestDatabase.fresh(name: "migrate_race")
        async let first = Database.open(.init(url: url, poolSize: 1))
        async let second = Database.open(.init(url: url, poolSize: 1))
        async let third = Database.open(.init(url: url, poolSize: 1))
        let databases = try await [first, second, third]
        let versions = try await databases[0].withConnection { try Migrations.appliedVersions(on: $0) }
        #expect(versions == Migrations.all.map(\.version))
        for database in databases { await database.close() }
    }
}
