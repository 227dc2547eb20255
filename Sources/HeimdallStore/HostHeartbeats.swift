import Foundation
import HeimdallProtocol

/// One heartbeat as the `hosts` table records it.
public struct HostHeartbeat: Sendable, Hashable {
    public var hostID: String
    public var at: Date
    /// The agent's spool report; `nil` keeps the stored one.
    public var spool: SpoolHealth?

    public init(hostID: String, at: Date, spool: SpoolHealth?) {
        self.hostID = hostID
        self.at = at
        self.spool = spool
    }
}

extension HostRecords {
    /// Records `heartbeats` with one statement: per host, `last_heartbeat` and `last_seen`
    /// move forward to the latest (never back), and the spool columns take the last spool
    /// report of the list. The same as recording them one by one, in order, with one round
    /// trip instead of one per heartbeat (a hub with 10,000 agents gets 333 a second).
    public func recordHeartbeats(_ heartbeats: [HostHeartbeat], on connection: PostgresConnection) throws {
        var latest: [String: HostHeartbeat] = [:]
        for heartbeat in heartbeats {
            var merged = latest[heartbeat.hostID] ?? heartbeat
            merged.at = max(merged.at, heartbeat.at)
            merged.spool = heartbeat.spool ?? merged.spool
            latest[heartbeat.hostID] = merged
        }
        guard !latest.isEmpty else { return }
        let rows = latest.values.sorted { $0.hostID < $1.hostID }
        try connection.execute("""
            UPDATE hosts AS h SET
                last_heartbeat = GREATEST(h.last_heartbeat, u.at), last_seen = GREATEST(h.last_seen, u.at),
                spool_pending_events = COALESCE(u.pending, h.spool_pending_events),
                spool_oldest_pending = CASE WHEN u.pending IS NULL THEN h.spool_oldest_pending ELSE u.oldest END,
                spool_dropped_total = COALESCE(u.dropped, h.spool_dropped_total)
            FROM unnest($1::text[], $2::timestamptz[], $3::text[]::bigint[], $4::text[]::timestamptz[], $5::text[]::bigint[])
                AS u(host_id, at, pending, oldest, dropped)
            WHERE h.host_id = u.host_id
            """, [
                .stringArray(rows.map(\.hostID)),
                .dateArray(rows.map(\.at)),
                .stringArray(rows.map { $0.spool.map { String($0.pendingEvents) } }),
                .stringArray(rows.map { $0.spool?.oldestPending.map(PostgresTimestamp.format) }),
                .stringArray(rows.map { $0.spool.map { String($0.droppedTotal) } }),
            ])
    }
}
