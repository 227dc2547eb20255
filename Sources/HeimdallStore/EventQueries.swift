import Foundation
import HeimdallProtocol

/// One stored event with its delivery provenance.
public struct StoredEvent: Sendable, Hashable {
    /// The host that sent the event.
    public var hostID: String
    /// The event as the agent sent it (id, timestamp = `occurred_at`, ...).
    public var event: Event
    /// When the hub received it.
    public var receivedAt: Date
    /// Serial of the certificate that delivered it.
    public var certificateSerial: String
    /// SHA-256 fingerprint of that certificate.
    public var certificateFingerprint: String
    /// The session it arrived on.
    public var sessionID: UUID

    init(row: PostgresRow) throws {
        hostID = try row.require("host_id")
        let category: String = try row.require("category")
        let severity: String = try row.require("severity")
        guard let parsedCategory = EventCategory(rawValue: category), let parsedSeverity = EventSeverity(rawValue: severity) else {
            throw PostgresError(.unexpectedResult, message: "stored event has category \(category) and severity \(severity)")
        }
        let fields: JSONValue = try row.require("fields")
        event = Event(
            id: try row.require("event_id"), timestamp: try row.require("occurred_at"), category: parsedCategory,
            severity: parsedSeverity, source: try row.require("source"), message: try row.require("message"),
            fields: fields.objectValue ?? [:], raw: try row.decode("raw")
        )
        receivedAt = try row.require("received_at")
        certificateSerial = try row.require("cert_serial")
        certificateFingerprint = try row.require("cert_fingerprint")
        sessionID = try row.require("session_id")
    }
}

/// Read-only queries for auditors. Methods block: call them on a pool thread.
public struct EventQueries: Sendable {
    /// Creates the repository; any thread may call it.
    public init() {}

    /// Events filtered by host, category and `occurred_at` in `[since, until)`, ordered by
    /// `occurred_at` then event id; at most `limit` rows (`nil`: all).
    public func list(
        host: String? = nil, category: EventCategory? = nil, since: Date? = nil, until: Date? = nil, limit: Int? = nil,
        on connection: PostgresConnection
    ) throws -> [StoredEvent] {
        try connection.query("""
            SELECT * FROM events
            WHERE ($1::text IS NULL OR host_id = $1)
              AND ($2::text IS NULL OR category = $2)
              AND ($3::timestamptz IS NULL OR occurred_at >= $3)
              AND ($4::timestamptz IS NULL OR occurred_at < $4)
            ORDER BY occurred_at, event_id
            LIMIT $5::bigint
            """, [
                host.postgresValue, category?.rawValue.postgresValue, since.postgresValue, until.postgresValue,
                limit.postgresValue,
            ]).map(StoredEvent.init(row:))
    }

    /// The number of stored events (for one host when given).
    public func count(host: String? = nil, on connection: PostgresConnection) throws -> Int64 {
        try connection.query("SELECT count(*) AS n FROM events WHERE ($1::text IS NULL OR host_id = $1)", [host.postgresValue])
            .first?.require("n") ?? 0
    }
}
