import Foundation

/// What one retention pass removed.
public struct RetentionReport: Sendable, Hashable {
    /// Rows whose time is before this instant were removed.
    public var cutoff: Date
    /// The daily `events` partitions dropped, oldest first.
    public var droppedPartitions: [String] = []
    /// Rows deleted from `events_default`.
    public var deletedDefaultEvents = 0
    /// Rows deleted from `status_snapshots`.
    public var deletedSnapshots = 0

    /// Creates an empty report; any thread may call it.
    public init(cutoff: Date) {
        self.cutoff = cutoff
    }

    /// True when the pass removed nothing.
    public var isEmpty: Bool { droppedPartitions.isEmpty && deletedDefaultEvents == 0 && deletedSnapshots == 0 }
}

/// Removes events and status snapshots older than `days` days: whole daily partitions of
/// `events` once their day has entirely passed the cutoff (never one that can still receive
/// rows of an unexpired day), expired rows of `events_default` and of `status_snapshots`
/// by `DELETE`. Each table is handled in its own short transaction that also appends a row
/// to `retention_log`. A value: any thread; ``apply(now:hubID:on:)`` blocks.
public struct DataRetention: Sendable, Hashable {
    /// How many days of data to keep (at least 1).
    public var days: Int

    /// Creates the policy; any thread may call it.
    public init(days: Int) {
        self.days = days
    }

    /// `now` minus `days` × 24 h.
    public func cutoff(now: Date) -> Date {
        now.addingTimeInterval(-Double(days) * 86_400)
    }

    /// The daily partitions among `names` whose whole day is before `cutoff`, oldest first.
    /// Other names (`events_default`, anything not `events_YYYYMMDD`) are never expired.
    public static func expiredPartitions(_ names: [String], cutoff: Date) -> [String] {
        names.compactMap { name in UTCDay(partitionName: name).map { (name, $0) } }
            .filter { $0.1.end <= cutoff }
            .sorted { $0.1 < $1.1 }
            .map(\.0)
    }

    /// Runs one pass and returns what it removed. `hubID` is recorded in `retention_log`.
    /// - Throws: ``PostgresError`` (e.g. `lock_timeout` when a long query holds `events`;
    ///   the next pass tries again). What an earlier transaction of the pass removed stays
    ///   removed and logged.
    public func apply(now: Date = Date(), hubID: String?, on connection: PostgresConnection) throws -> RetentionReport {
        var report = RetentionReport(cutoff: cutoff(now: now))
        let cutoff = report.cutoff
        try connection.transaction { connection in
            // Dropping a partition takes ACCESS EXCLUSIVE on `events`: never queue behind a
            // long reader for long, since every writer would queue behind the drop.
            try connection.execute("SET LOCAL lock_timeout = '5s'")
            try connection.execute("SELECT pg_advisory_xact_lock($1)", [.int64(EventPartitions.lockKey)])
            let names = try connection.query("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'events'::regclass
                """).compactMap { $0.string("relname") }
            report.droppedPartitions = Self.expiredPartitions(names, cutoff: cutoff)
            for name in report.droppedPartitions { try connection.execute("DROP TABLE \"\(name)\"") }
            report.deletedDefaultEvents = try connection.execute("DELETE FROM events_default WHERE occurred_at < $1", [.date(cutoff)])
            try log(table: "events", dropped: report.droppedPartitions, deleted: report.deletedDefaultEvents, cutoff: cutoff, hubID: hubID, on: connection)
        }
        try connection.transaction { connection in
            report.deletedSnapshots = try connection.execute("DELETE FROM status_snapshots WHERE taken_at < $1", [.date(cutoff)])
            try log(table: "status_snapshots", dropped: [], deleted: report.deletedSnapshots, cutoff: cutoff, hubID: hubID, on: connection)
        }
        return report
    }

    private func log(
        table: String, dropped: [String], deleted: Int, cutoff: Date, hubID: String?, on connection: PostgresConnection
    ) throws {
        guard !dropped.isEmpty || deleted > 0 else { return }
        try connection.execute("""
            INSERT INTO retention_log (hub_id, retention_days, cutoff, table_name, dropped_partitions, deleted_rows)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [hubID.postgresValue, .int(days), .date(cutoff), .string(table), .stringArray(dropped), .int(deleted)])
    }
}
