import Foundation
import HeimdallProtocol

/// The SQL of ``EventWriter``: each function inserts rows, skips conflicts, and returns
/// the keys actually inserted. Blocking; runs inside the writer's transaction.
enum EventRowsInsert {
    /// What the event INSERTs return: the dedupe key, `occurred_at` as whole microseconds.
    static let returnedKey = "host_id, event_id, (extract(epoch FROM occurred_at) * 1000000)::bigint AS micros"

    static let eventColumns = """
        host_id, event_id, occurred_at, received_at, category, severity, source, message, fields, raw, \
        cert_serial, cert_fingerprint, session_id
        """

    /// Array parameters unnested into one INSERT.
    static func arrays(_ rows: [IngestPlan.EventRow], on connection: PostgresConnection) throws -> Set<IngestPlan.EventKey> {
        guard !rows.isEmpty else { return [] }
        let sql = """
            INSERT INTO events (\(eventColumns))
            SELECT h, e, o, r, c, s, src, m, f::jsonb, raw, cs, cf, sid
            FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[],
                        $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::uuid[])
                 AS t(h, e, o, r, c, s, src, m, f, raw, cs, cf, sid)
            ON CONFLICT DO NOTHING
            RETURNING \(returnedKey)
            """
        let parameters: [PostgresValue?] = [
            .stringArray(rows.map(\.key.hostID)),
            .stringArray(rows.map(\.event.id)),
            .dateArray(rows.map(\.event.timestamp)),
            .dateArray(rows.map(\.receivedAt)),
            .stringArray(rows.map(\.event.category.rawValue)),
            .stringArray(rows.map(\.event.severity.rawValue)),
            .stringArray(rows.map(\.event.source)),
            .stringArray(rows.map(\.event.message)),
            .stringArray(rows.map { JSONValue.object($0.event.fields).jsonText() }),
            .stringArray(rows.map(\.event.raw)),
            .stringArray(rows.map(\.origin.certificateSerial)),
            .stringArray(rows.map(\.origin.certificateFingerprint)),
            .uuidArray(rows.map(\.origin.sessionID)),
        ]
        return try eventKeys(connection.query(sql, parameters))
    }

    /// COPY into a per-session staging table, then one INSERT ... SELECT.
    static func copy(_ rows: [IngestPlan.EventRow], on connection: PostgresConnection) throws -> Set<IngestPlan.EventKey> {
        guard !rows.isEmpty else { return [] }
        if try connection.query("SELECT to_regclass('pg_temp.heimdall_event_staging') IS NULL AS missing").first?.bool("missing") ?? true {
            try connection.execute("CREATE TEMP TABLE heimdall_event_staging (LIKE events) ON COMMIT DELETE ROWS")
        }
        try connection.copyIn("COPY heimdall_event_staging (\(eventColumns)) FROM STDIN", rows: rows, encode: encode)
        let inserted = try connection.query("""
            INSERT INTO events (\(eventColumns))
            SELECT \(eventColumns) FROM heimdall_event_staging
            ON CONFLICT DO NOTHING
            RETURNING \(returnedKey)
            """)
        return try eventKeys(inserted)
    }

    /// COPY straight into `events`: the fastest path, but one key already stored fails the
    /// whole statement with `unique_violation` (and aborts the transaction).
    static func copyDirect(_ rows: [IngestPlan.EventRow], on connection: PostgresConnection) throws {
        guard !rows.isEmpty else { return }
        try connection.copyIn("COPY events (\(eventColumns)) FROM STDIN", rows: rows, encode: encode)
    }

    /// `query`, then COPY straight into `events` of the rows `rows` picks from the query's
    /// result, as one simple query: one implicit transaction, committed after the COPY (see
    /// ``PostgresConnection/copyIn(afterQuery:rows:encode:)``). Fails like ``copyDirect(_:on:)``.
    static func copyDirect(
        after query: String, on connection: PostgresConnection, rows: (PostgresRows) throws -> [IngestPlan.EventRow]
    ) throws {
        try connection.copyIn(afterQuery: query + "; COPY events (\(eventColumns)) FROM STDIN", rows: rows, encode: encode)
    }

    /// The COPY text of `rows` (what ``copyDirect(_:on:)`` sends).
    static func copyText(_ rows: [IngestPlan.EventRow]) -> [UInt8] {
        var encoder = CopyTextEncoder()
        for row in rows {
            encode(row, into: &encoder)
            encoder.endRow()
        }
        return encoder.bytes
    }

    /// One event row's fields, in ``eventColumns`` order.
    private static func encode(_ row: IngestPlan.EventRow, into encoder: inout CopyTextEncoder) {
        encoder.text(row.key.hostID)
        encoder.text(row.event.id)
        encoder.timestamp(row.event.timestamp)
        encoder.timestamp(row.receivedAt)
        encoder.text(row.event.category.rawValue)
        encoder.text(row.event.severity.rawValue)
        encoder.text(row.event.source)
        encoder.text(row.event.message)
        encoder.json(.object(row.event.fields))
        encoder.text(row.event.raw)
        encoder.text(row.origin.certificateSerial)
        encoder.text(row.origin.certificateFingerprint)
        encoder.uuid(row.origin.sessionID)
    }

    /// Status snapshots through array parameters (there are few per call).
    static func snapshots(_ rows: [IngestPlan.SnapshotRow], on connection: PostgresConnection) throws -> Set<IngestPlan.SnapshotKey> {
        guard !rows.isEmpty else { return [] }
        let sql = """
            INSERT INTO status_snapshots (host_id, taken_at, received_at, metrics, cert_serial, cert_fingerprint, session_id)
            SELECT h, t, r, m::jsonb, cs, cf, sid
            FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::uuid[])
                 AS u(h, t, r, m, cs, cf, sid)
            ON CONFLICT DO NOTHING
            RETURNING host_id, (extract(epoch FROM taken_at) * 1000000)::bigint AS micros
            """
        let result = try connection.query(sql, [
            .stringArray(rows.map(\.key.hostID)),
            .dateArray(rows.map(\.takenAt)),
            .dateArray(rows.map(\.receivedAt)),
            .stringArray(rows.map { $0.metrics.jsonText() }),
            .stringArray(rows.map(\.origin.certificateSerial)),
            .stringArray(rows.map(\.origin.certificateFingerprint)),
            .uuidArray(rows.map(\.origin.sessionID)),
        ])
        return Set(try result.map { IngestPlan.SnapshotKey(hostID: try $0.require("host_id"), microseconds: try $0.require("micros")) })
    }

    private static func eventKeys(_ rows: PostgresRows) throws -> Set<IngestPlan.EventKey> {
        Set(try rows.map {
            IngestPlan.EventKey(hostID: try $0.require("host_id"), eventID: try $0.require("event_id"), microseconds: try $0.require("micros"))
        })
    }
}
