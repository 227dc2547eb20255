import Foundation
import HeimdallProtocol
import HeimdallStore
import HeimdallTestSupport
import Testing

/// `events` partitioned by UTC day (schema version 5), against the suite's real PostgreSQL.
@Suite(.serialized) struct PartitionTests {
    /// Noon UTC today, so that ±1 day stays inside the on-demand window all day.
    static let noon = UTCDay(containing: Date()).start.addingTimeInterval(12 * 3600)

    @Test func migrationFromVersion4KeepsEveryRow() async throws {
        let url = try await TestDatabase.fresh(name: "partition_migrate")
        let connection = try PostgresConnection(url: url)
        try Migrations.apply(on: connection, migrations: Migrations.all.filter { $0.version <= 4 })
        let dates = [
            Self.noon, Self.noon.addingTimeInterval(-86_400), Self.noon.addingTimeInterval(-40 * 86_400),
            Date(timeIntervalSince1970: 1), Self.noon.addingTimeInterval(3 * 86_400), Date(timeIntervalSince1970: 253_402_000_000),
        ]
        let events = dates.enumerated().map { Fixtures.event($0.offset, at: $0.element.addingTimeInterval(-Double($0.offset))) }
        for event in events {
            try connection.execute("""
                INSERT INTO events (host_id, event_id, occurred_at, received_at, category, severity, source, message, fields, raw,
                                    cert_serial, cert_fingerprint, session_id)
                VALUES ('alpha', $1, $2, now(), 'auth', 'low', 'linux.auth', $3, $4, $5, '0A1B', 'ab', gen_random_uuid())
                """, [.string(event.id), .date(event.timestamp), .string(event.message), .json(.object(event.fields)), event.raw.postgresValue])
        }
        let before = try Self.rows(on: connection)

        #expect(try Migrations.apply(on: connection) == [5])
        #expect(try Self.rows(on: connection) == before)
        let today = UTCDay(containing: Self.noon)
        #expect(try Self.partitionCounts(on: connection) == [
            UTCDay(number: 0).partitionName: 1,
            today.adding(days: -40).partitionName: 1,
            today.adding(days: -1).partitionName: 1,
            today.partitionName: 1,
            "events_default": 2,
        ])
        #expect(try connection.query("SELECT to_regclass('events_v4') IS NULL AS gone").first?.bool("gone") == true)
    }

    @Test func writesSpanningThreeDaysLandInThreePartitions() async throws {
        let database = try await Fixtures.database("partition_three_days")
        defer { Task { await database.close() } }
        let events = (-1...1).flatMap { day in
            (0..<5).map { Fixtures.event(10 * (day + 1) + $0, at: Self.noon.addingTimeInterval(Double(day) * 86_400)) }
        }
        let outcomes = try await database.withConnection { try EventWriter().write([Fixtures.batch("alpha", events)], on: $0) }
        #expect(outcomes == [BatchOutcome(stored: 15)])
        let today = UTCDay(containing: Self.noon)
        #expect(try await database.withConnection { try Self.partitionCounts(on: $0) } == [
            today.adding(days: -1).partitionName: 5, today.partitionName: 5, today.adding(days: 1).partitionName: 5,
        ])
        let oneDay = try await database.withConnection {
            try EventQueries().list(host: "alpha", since: today.start, until: today.end, on: $0)
        }
        #expect(oneDay.map(\.event.id) == (10..<15).map { Fixtures.event($0).id })
        let latest = try await database.withConnection { try EventQueries().list(since: today.start, limit: 7, on: $0) }
        #expect(latest.map(\.event.id) == [10, 11, 12, 13, 14, 20, 21].map { Fixtures.event($0).id })
    }

    @Test(arguments: [EventWriter.Path.arrays, .copy])
    func resendAcrossADayBoundaryCountsDuplicates(path: EventWriter.Path) async throws {
        let database = try await Fixtures.database("partition_resend")
        defer { Task { await database.close() } }
        let midnight = UTCDay(containing: Date()).start
        // Ten events from 5 s before midnight to 4 s after it, plus one far in the past
        // (events_default): the batch spans two daily partitions and the default.
        let events = (0..<10).map { Fixtures.event($0, at: midnight.addingTimeInterval(-5)) }
            + [Fixtures.event(99, at: Date(timeIntervalSince1970: 86_400))]
        let batch = Fixtures.batch("alpha", events)
        let first = try await database.withConnection { try EventWriter(path: path).write([batch], on: $0) }
        #expect(first == [BatchOutcome(stored: 11)])
        // The resend arrives on a new session, in the same call as a repeat of itself.
        var again = batch
        again.origin = IngestOrigin(
            hostID: batch.hostID, sessionID: UUID(), certificateSerial: batch.certificateSerial,
            certificateFingerprint: batch.certificateFingerprint
        )
        let resend = again
        let second = try await database.withConnection { try EventWriter(path: path).write([resend, resend], on: $0) }
        #expect(second == [BatchOutcome(duplicates: 11), BatchOutcome(duplicates: 11)])
        let today = UTCDay(containing: midnight)
        #expect(try await database.withConnection { try Self.partitionCounts(on: $0) } == [
            today.adding(days: -1).partitionName: 5, today.partitionName: 5, "events_default": 1,
        ])
    }

    @Test func theSameIdAtAnotherTimeIsAnotherEvent() async throws {
        let database = try await Fixtures.database("partition_same_id")
        defer { Task { await database.close() } }
        let event = Fixtures.event(1, at: Self.noon)
        var later = event
        later.timestamp = event.timestamp.addingTimeInterval(86_400)
        let moved = later
        let outcomes = try await database.withConnection {
            try EventWriter().write([Fixtures.batch("alpha", [event, moved, event])], on: $0)
        }
        #expect(outcomes == [BatchOutcome(stored: 2, duplicates: 1)])
    }

    @Test func farPastAndFarFutureTimestampsAreStored() async throws {
        let database = try await Fixtures.database("partition_far")
        defer { Task { await database.close() } }
        let far = [
            Fixtures.event(1, at: Date(timeIntervalSince1970: -62_135_596_800)),  // 0001-01-01
            Fixtures.event(2, at: Date(timeIntervalSince1970: 0)),
            Fixtures.event(3, at: Date(timeIntervalSince1970: 253_402_300_000)),  // 9999-12-31
            Fixtures.event(4, at: Self.noon.addingTimeInterval(400 * 86_400)),
        ]
        let outcomes = try await database.withConnection { try EventWriter().write([Fixtures.batch("alpha", far)], on: $0) }
        #expect(outcomes == [BatchOutcome(stored: 4)])
        #expect(try await database.withConnection { try Self.partitionCounts(on: $0) } == ["events_default": 4])
        let stored = try await database.withConnection { try EventQueries().list(on: $0) }
        #expect(stored.map(\.event.timestamp) == far.map(\.timestamp).sorted())
    }

    @Test func aNewPartitionTakesOverItsRowsFromTheDefault() async throws {
        let database = try await Fixtures.database("partition_move")
        defer { Task { await database.close() } }
        let later = UTCDay(containing: Self.noon).adding(days: 10)
        let events = (0..<3).map { Fixtures.event($0, at: later.start.addingTimeInterval(3600)) }
        _ = try await database.withConnection { try EventWriter().write([Fixtures.batch("alpha", events)], on: $0) }
        #expect(try await database.withConnection { try Self.partitionCounts(on: $0) } == ["events_default": 3])
        let created = try await database.withConnection { try EventPartitions().create([later], on: $0) }
        #expect(created == [later])
        #expect(try await database.withConnection { try Self.partitionCounts(on: $0) } == [later.partitionName: 3])
        let again = try await database.withConnection { try EventWriter().write([Fixtures.batch("alpha", events)], on: $0) }
        #expect(again == [BatchOutcome(duplicates: 3)])
    }

    @Test func concurrentWritersCreatingTheSameDayDoNotFail() async throws {
        let database = try await Fixtures.database("partition_race", poolSize: 6)
        defer { Task { await database.close() } }
        let day = UTCDay(containing: Self.noon).adding(days: 2)
        let outcomes = try await withThrowingTaskGroup(of: [BatchOutcome].self) { group in
            for writer in 0..<6 {
                let events = (0..<50).map { Fixtures.event(writer * 100 + $0, at: day.start.addingTimeInterval(60)) }
                group.addTask {
                    try await database.withConnection { try EventWriter().write([Fixtures.batch("alpha", events)], on: $0) }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(outcomes == Array(repeating: BatchOutcome(stored: 50), count: 6))
        #expect(try await database.withConnection { try Self.partitionCounts(on: $0) } == [day.partitionName: 300])
    }

    @Test func partitionsAheadAreMadeOnce() async throws {
        let database = try await Fixtures.database("partition_ahead")
        defer { Task { await database.close() } }
        let partitions = EventPartitions()
        let first = try await database.withConnection { try partitions.createAhead(now: Self.noon, on: $0) }
        let today = UTCDay(containing: Self.noon)
        #expect(first == (-1...2).map { today.adding(days: $0) })
        let second = try await database.withConnection { try EventPartitions().createAhead(now: Self.noon, on: $0) }
        #expect(second.isEmpty)
    }

    /// Every stored row as (host, id, occurred_at microseconds, message), sorted.
    static func rows(on connection: PostgresConnection) throws -> [String] {
        try connection.query("""
            SELECT host_id || '/' || event_id || '/' || (extract(epoch FROM occurred_at) * 1000000)::bigint || '/' || message
                   || '/' || fields::text || '/' || coalesce(raw, '-') AS line
            FROM events ORDER BY 1
            """).compactMap { $0.string("line") }
    }

    /// Rows per partition (partitions without rows are not listed).
    static func partitionCounts(on connection: PostgresConnection) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try connection.query("SELECT tableoid::regclass::text AS part, count(*) AS n FROM events GROUP BY 1") {
            counts[row.string("part") ?? "?"] = row.int("n")
        }
        return counts
    }
}
