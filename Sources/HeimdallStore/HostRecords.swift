import Foundation
import HeimdallProtocol

/// A host's liveness state (`hosts.status`).
public enum HostStatus: String, Sendable, Hashable, CaseIterable, PostgresDecodable {
    /// Connected and heartbeating (`online`), heartbeats overdue (`stale`), or disconnected (`offline`).
    case online, stale, offline

    /// Parses the stored text.
    public init?(postgresText: String) { self.init(rawValue: postgresText) }
}


/// One `hosts` row.
public struct HostRecord: Sendable, Hashable {
    /// The host (its certificate's CN).
    public var hostID: String
    /// Liveness state.
    public var status: HostStatus
    /// Last heartbeat received.
    public var lastHeartbeat: Date?
    /// Last frame of any kind received.
    public var lastSeen: Date?
    /// When the host first connected.
    public var firstSeen: Date
    /// When the status last changed.
    public var statusChangedAt: Date?
    /// The latest session.
    public var sessionID: UUID?
    /// Serial of the certificate of the latest session.
    public var certificateSerial: String?
    /// Fingerprint of that certificate.
    public var certificateFingerprint: String?
    /// Peer address of the latest session.
    public var remoteAddress: String?
    /// What the agent said about itself.
    public var agent: AgentInfo
    /// The latest spool report, when any.
    public var spool: SpoolHealth?

    init(row: PostgresRow) throws {
        hostID = try row.require("host_id")
        status = try row.require("status")
        lastHeartbeat = try row.decode("last_heartbeat")
        lastSeen = try row.decode("last_seen")
        firstSeen = try row.require("first_seen")
        statusChangedAt = try row.decode("status_changed_at")
        sessionID = try row.decode("session_id")
        certificateSerial = try row.decode("cert_serial")
        certificateFingerprint = try row.decode("cert_fingerprint")
        remoteAddress = try row.decode("remote_address")
        agent = AgentInfo(
            version: try row.decode("agent_version"), os: try row.decode("agent_os"),
            arch: try row.decode("agent_arch"), hostname: try row.decode("agent_hostname")
        )
        if let pending: Int64 = try row.decode("spool_pending_events") {
            spool = SpoolHealth(
                pendingEvents: pending, oldestPending: try row.decode("spool_oldest_pending"),
                droppedTotal: try row.decode("spool_dropped_total") ?? 0
            )
        }
    }
}

/// One `host_status_changes` row.
public struct HostStatusChange: Sendable, Hashable {
    /// The host (its certificate's CN).
    public var hostID: String
    /// The status before (nil for a new host).
    public var from: HostStatus?
    /// The status after.
    public var to: HostStatus
    /// When it changed.
    public var changedAt: Date
    /// Why it changed.
    public var reason: String?
}

/// The `hosts` table and its status history. Methods block: call them on a pool thread.
public struct HostRecords: Sendable {
    /// Creates the repository; any thread may call it.
    public init() {}

    /// Records a new session: creates the host if needed and stores agent info, session,
    /// certificate, address and `last_seen`. The status is left to ``setStatus(_:to:reason:at:on:)``.
    public func sessionStarted(
        _ hostID: String, sessionID: UUID, certificateSerial: String, certificateFingerprint: String,
        remoteAddress: String?, agent: AgentInfo, at date: Date = Date(), on connection: PostgresConnection
    ) throws {
        try connection.execute("""
            INSERT INTO hosts (host_id, first_seen, last_seen, session_id, cert_serial, cert_fingerprint,
                               remote_address, agent_version, agent_os, agent_arch, agent_hostname)
            VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (host_id) DO UPDATE SET
                last_seen = GREATEST(hosts.last_seen, EXCLUDED.last_seen),
                session_id = EXCLUDED.session_id, cert_serial = EXCLUDED.cert_serial,
                cert_fingerprint = EXCLUDED.cert_fingerprint, remote_address = EXCLUDED.remote_address,
                agent_version = EXCLUDED.agent_version, agent_os = EXCLUDED.agent_os,
                agent_arch = EXCLUDED.agent_arch, agent_hostname = EXCLUDED.agent_hostname
            """, [
                .string(hostID), .date(date), .uuid(sessionID), .string(certificateSerial),
                .string(certificateFingerprint), remoteAddress.postgresValue, agent.version.postgresValue,
                agent.os.postgresValue, agent.arch.postgresValue, agent.hostname.postgresValue,
            ])
    }

    /// Sets a host's status; writes a `host_status_changes` row only when the status
    /// really changes. Returns true when it changed (false too for an unknown host).
    @discardableResult
    public func setStatus(
        _ hostID: String, to status: HostStatus, reason: String?, at date: Date = Date(), on connection: PostgresConnection
    ) throws -> Bool {
        let rows = try connection.query("""
            WITH previous AS (SELECT host_id, status FROM hosts WHERE host_id = $1 FOR UPDATE),
            changed AS (
                UPDATE hosts SET status = $2, status_changed_at = $3
                FROM previous WHERE hosts.host_id = previous.host_id AND previous.status <> $2
                RETURNING previous.status AS from_status)
            INSERT INTO host_status_changes (host_id, from_status, to_status, changed_at, reason)
            SELECT $1, from_status, $2, $3, $4 FROM changed
            RETURNING id
            """, [.string(hostID), .string(status.rawValue), .date(date), reason.postgresValue])
        return rows.count > 0
    }

    /// Sets `offline` every host that is not, but whose current session is over (ended, or
    /// unknown): after a hub crash, its hosts would otherwise stay `online` forever. Hosts of
    /// other hubs' open sessions are left alone. One history row each; returns their ids.
    @discardableResult
    public func markOfflineWithoutOpenSession(reason: String?, at date: Date = Date(), on connection: PostgresConnection) throws -> [String] {
        try connection.query("""
            WITH previous AS (
                SELECT host_id, status FROM hosts
                WHERE status <> 'offline'
                  AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.session_id = hosts.session_id AND s.ended_at IS NULL)
                FOR UPDATE),
            changed AS (
                UPDATE hosts SET status = 'offline', status_changed_at = $1
                FROM previous WHERE hosts.host_id = previous.host_id
                RETURNING hosts.host_id, previous.status AS from_status)
            INSERT INTO host_status_changes (host_id, from_status, to_status, changed_at, reason)
            SELECT host_id, from_status, 'offline', $1, $2 FROM changed
            RETURNING host_id
            """, [.date(date), reason.postgresValue]).map { try $0.require("host_id", as: String.self) }.sorted()
    }

    /// Records a heartbeat: `last_heartbeat`, `last_seen` and the spool figures.
    public func recordHeartbeat(_ hostID: String, at date: Date = Date(), spool: SpoolHealth?, on connection: PostgresConnection) throws {
        try recordHeartbeats([HostHeartbeat(hostID: hostID, at: date, spool: spool)], on: connection)
    }

    /// Moves `last_seen` forward to `date` (never back).
    public func touch(_ hostID: String, at date: Date = Date(), on connection: PostgresConnection) throws {
        try connection.execute(
            "UPDATE hosts SET last_seen = GREATEST(last_seen, $2) WHERE host_id = $1", [.string(hostID), .date(date)]
        )
    }

    /// Every host, ordered by host id.
    public func list(on connection: PostgresConnection) throws -> [HostRecord] {
        try connection.query("SELECT * FROM hosts ORDER BY host_id").map(HostRecord.init(row:))
    }

    /// One host, when it exists.
    public func host(_ hostID: String, on connection: PostgresConnection) throws -> HostRecord? {
        try connection.query("SELECT * FROM hosts WHERE host_id = $1", [.string(hostID)]).first.map(HostRecord.init(row:))
    }

    /// A host's status, `nil` for an unknown host.
    public func status(of hostID: String, on connection: PostgresConnection) throws -> HostStatus? {
        try connection.query("SELECT status FROM hosts WHERE host_id = $1", [.string(hostID)]).first?.require("status")
    }

    /// A host's status history, oldest first.
    public func statusChanges(of hostID: String, on connection: PostgresConnection) throws -> [HostStatusChange] {
        try connection.query(
            "SELECT * FROM host_status_changes WHERE host_id = $1 ORDER BY changed_at, id", [.string(hostID)]
        ).map { row in
            HostStatusChange(
                hostID: try row.require("host_id"), from: try row.decode("from_status"), to: try row.require("to_status"),
                changedAt: try row.require("changed_at"), reason: try row.decode("reason")
            )
        }
    }
}
