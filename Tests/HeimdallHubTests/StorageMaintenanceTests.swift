import Foundation
import HeimdallHub
import HeimdallStore
import HeimdallTestSupport
import Testing

/// The hub's storage chores (`StorageMaintenance`): partitions made ahead at start, and
/// `retention_days` applied on every pass.
@Suite(.serialized) struct StorageMaintenanceTests {
    @Test func theHubMakesPartitionsAheadAndDropsExpiredOnes() async throws {
        let harness = try await HubHarness(name: "maintenance") { configuration in
            configuration.retentionDays = 3
            configuration.maintenanceInterval = .milliseconds(200)
        }
        let today = UTCDay(containing: Date())
        let ahead = Set((-1...2).map { today.adding(days: $0).partitionName })
        #expect(try await harness.eventually { try await Self.partitions(harness).isSuperset(of: ahead) })

        let expired = today.adding(days: -10)
        _ = try await harness.database.withConnection { try EventPartitions().create([expired], on: $0) }
        #expect(try await harness.eventually { try await !Self.partitions(harness).contains(expired.partitionName) })
        let logged = try await harness.query("SELECT dropped_partitions::text AS dropped, hub_id FROM retention_log")
        #expect(logged.map { "\($0.string("dropped") ?? "")@\($0.string("hub_id") ?? "")" } == ["{\(expired.partitionName)}@test-hub"])
        #expect(try await Self.partitions(harness).isSuperset(of: ahead), "unexpired days are kept")
        await harness.stop()
    }

    static func partitions(_ harness: HubHarness) async throws -> Set<String> {
        Set(try await harness.query("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass
            """).compactMap { $0.string("relname") })
    }
}
