import Foundation
import HeimdallProtocol
import HeimdallStore
import HeimdallTestSupport
import Testing

@Suite(.serialized) struct RetentionTests {
    @Test func onlyPartitionsWhoseWholeDayIsBeforeTheCutoffExpire() {
        let cutoff = UTCDay(number: 20_000).start.addingTimeInterval(1)
        let names = ["events_default", UTCDay(number: 20_000).partitionName, UTCDay(number: 19_999).partitionName,
                     UTCDay(number: 19_990).partitionName, "events_2026112", "events_2026112x", "other_20261121"]
        #expect(DataRetention.expiredPartitions(names, cutoff: cutoff) == [
            UTCDay(number: 19_990).partitionName, UTCDay(number: 19_999).partitionName,
        ])
        #expect(DataRetention.expiredPartitions(names, cutoff: UTCDay(number: 20_000).start.addingTimeInterval(-1)) == [
            UTCDay(number: 19_990).partitionName,
        ])
    }

    @Test func dropsExactlyTheExpiredPartitionsAndRows() async throws {
        let database = try await Fixtures.database("retention_apply")
        defer { Task { await database.close() } }
        let today = UTCDay(containing: Date())
        let now = today.start.addingTimeInterval(12 * 3600)
        let days = (-5...1).map { today.adding(days: $0) }
        _ = try await database.withConnection { try EventPartitions().create(days, on: $0) }
        let events = days.enumerated().map { Fixtures.event($0.offset, at: $0.element.start.addingTimeInterval(60)) } + [
            Fixtures.event(50, at: Date(timeIntervalSince1970: 86_400)),  // events_default, expired
            Fixtures.event(51, at: now.addingTimeInterval(500 * 86_400)),  // events_default, kept
        ]
        _ = try await database.withConnection { try EventWriter().write([Fixtures.batch("alpha", events)], on: $0) }
        var snapshots: [IngestBatch] = []
        for age in [3.0, 1.5, 0.5] {
            var snapshot = Fixtures.batch("alpha", [])
            snapshot.payload = .status(takenAt: now.addingTimeInterval(-age * 86_400), metrics: .object([:]))
            snapshots.append(snapshot)
        }
        let written = snapshots
        _ = try await database.withConnection { try EventWriter().write(written, on: $0) }

        let report = try await database.withConnection { try DataRetention(days: 2).apply(now: now, hubID: "hub-a", on: $0) }
        #expect(report.droppedPartitions == (-5...(-3)).map { today.adding(days: $0).partitionName })
        #expect(report.deletedDefaultEvents == 1)
        #expect(report.deletedSnapshots == 1)
        let remaining = try await database.withConnection { try PartitionTests.partitionCounts(on: $0) }
        #expect(remaining == Dictionary(uniqueKeysWithValues: (-2...1).map { (today.adding(days: $0).partitionName, 1) })
            .merging(["events_default": 1]) { first, _ in first })
        let log = try await database.withConnection {
            try $0.query("SELECT table_name, hub_id, retention_days, deleted_rows, array_length(dropped_partitions, 1) AS dropped FROM retention_log ORDER BY id")
        }
        #expect(log.map { "\($0.string("table_name") ?? "")/\($0.string("hub_id") ?? "")/\($0.int("retention_days") ?? 0)/\($0.int("deleted_rows") ?? 0)/\($0.int("dropped") ?? 0)" }
            == ["events/hub-a/2/1/3", "status_snapshots/hub-a/2/1/0"])

        let again = try await database.withConnection { try DataRetention(days: 2).apply(now: now, hubID: "hub-a", on: $0) }
        #expect(again.isEmpty)
        #expect(try await database.withConnection { try $0.query("SELECT count(*) AS n FROM retention_log").first?.int("n") } == 2)
    }
}
