import Foundation

/// One `sessions` row.
public struct SessionRecord: Sendable, Hashable {
    /// The session id the hub assigned.
    public var sessionID: UUID
    /// The host (its certificate's CN).
    public var hostID: String
    /// Serial of the client certificate.
    public var certificateSerial: String
    /// SHA-256 fingerprint of the client certificate.
    public var certificateFingerprint: String
    /// The peer address.
    public var remoteAddress: String?
    /// The hub instance serving the session.
    public var hubID: String?
    /// The negotiated protocol version.
    public var protocolVersion: Int?
    /// Agent version from `hello`.
    public var agentVersion: String?
    /// When the session started.
    public var startedAt: Date
    /// When it ended; nil while open.
    public var endedAt: Date?
    /// Why it ended.
    public var endReason: String?
    /// Frames received after the TLS handshake (every type).
    public var framesReceived: Int64

    /// A new session's row (not yet ended, no frames).
    public init(
        sessionID: UUID, hostID: String, certificateSerial: String, certificateFingerprint: String,
        remoteAddress: String? = nil, hubID: String? = nil, protocolVersion: Int? = nil, agentVersion: String? = nil,
        startedAt: Date = Date()
    ) {
        self.sessionID = sessionID
        self.hostID = hostID
        self.certificateSerial = certificateSerial
        self.certificateFingerprint = certificateFingerprint
        self.remoteAddress = remoteAddress
        self.hubID = hubID
        self.protocolVersion = protocolVersion
        self.agentVersion = agentVersion
        self.startedAt = startedAt
        framesReceived = 0
    }

    init(row: PostgresRow) throws {
        self.init(
            sessionID: try row.require("session_id"), hostID: try row.require("host_id"),
            certificateSerial: try row.require("cert_serial"), certificateFingerprint: try row.require("cert_fingerprint"),
            remoteAddress: try row.decode("remote_address"), hubID: try row.decode("hub_id"),
            protocolVersion: try row.decode("protocol"), agentVersion: try row.decode("agent_version"),
            startedAt: try row.require("started_at")
        )
        endedAt = try row.decode("ended_at")
        endReason = try row.decode("end_reason")
        framesReceived = try row.require("frames_received")
    }
}

/// The `sessions` table. Methods block: call them on a pool thread.
public struct SessionRecords: Sendable {
    /// Creates the repository; any thread may call it.
    public init() {}

    /// Records a session that just started.
    public func start(_ session: SessionRecord, on connection: PostgresConnection) throws {
        try connection.execute("""
            INSERT INTO sessions (session_id, host_id, cert_serial, cert_fingerprint, remote_address, hub_id,
                                  protocol, agent_version, started_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, [
                .uuid(session.sessionID), .string(session.hostID), .string(session.certificateSerial),
                .string(session.certificateFingerprint), session.remoteAddress.postgresValue, session.hubID.postgresValue,
                session.protocolVersion.postgresValue, session.agentVersion.postgresValue, .date(session.startedAt),
            ])
    }

    /// Ends a session that is still open; false when it was already ended or is unknown.
    @discardableResult
    public func end(_ sessionID: UUID, reason: String, at date: Date = Date(), on connection: PostgresConnection) throws -> Bool {
        try connection.execute(
            "UPDATE sessions SET ended_at = $2, end_reason = $3 WHERE session_id = $1 AND ended_at IS NULL",
            [.uuid(sessionID), .date(date), .string(reason)]
        ) > 0
    }

    /// Adds `count` to a session's `frames_received`.
    public func countFrames(_ sessionID: UUID, count: Int, on connection: PostgresConnection) throws {
        try connection.execute(
            "UPDATE sessions SET frames_received = frames_received + $2 WHERE session_id = $1", [.uuid(sessionID), .int(count)]
        )
    }

    /// Crash recovery: ends every session `hubID` left open; returns how many.
    @discardableResult
    public func endAllOpen(hubID: String, reason: String, at date: Date = Date(), on connection: PostgresConnection) throws -> Int {
        try connection.execute(
            "UPDATE sessions SET ended_at = $2, end_reason = $3 WHERE hub_id = $1 AND ended_at IS NULL",
            [.string(hubID), .date(date), .string(reason)]
        )
    }

    /// One session, when it exists.
    public func session(_ sessionID: UUID, on connection: PostgresConnection) throws -> SessionRecord? {
        try connection.query("SELECT * FROM sessions WHERE session_id = $1", [.uuid(sessionID)]).first.map(SessionRecord.init(row:))
    }

    /// Open sessions (all hubs), oldest first.
    public func open(on connection: PostgresConnection) throws -> [SessionRecord] {
        try connection.query("SELECT * FROM sessions WHERE ended_at IS NULL ORDER BY started_at").map(SessionRecord.init(row:))
    }
}
