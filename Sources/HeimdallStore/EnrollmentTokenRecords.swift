import Foundation

/// One `enrollment_tokens` row (no secret: only its hash is stored, and not exposed here).
public struct EnrollmentTokenRecord: Sendable, Hashable {
    /// The token's public id.
    public var id: String
    /// The host the token is bound to.
    public var hostID: String
    /// The OS user who created it.
    public var createdBy: String
    /// When it was created.
    public var createdAt: Date
    /// When it stops being accepted.
    public var expiresAt: Date
    /// When it was used, if it was.
    public var usedAt: Date?
    /// The peer address that used it.
    public var usedBy: String?
    /// When it was cancelled, if it was.
    public var cancelledAt: Date?

    init(row: PostgresRow) throws {
        id = try row.require("id")
        hostID = try row.require("host_id")
        createdBy = try row.require("created_by")
        createdAt = try row.require("created_at")
        expiresAt = try row.require("expires_at")
        usedAt = try row.decode("used_at")
        usedBy = try row.decode("used_by")
        cancelledAt = try row.decode("cancelled_at")
    }
}

/// Why a token could not be consumed.
public enum TokenRefusal: String, Error, Sendable, Hashable {
    /// No token with that id, or the secret does not match.
    case unknown
    /// Already used.
    case used
    /// Past its expiry.
    case expired
    /// Cancelled by an operator.
    case cancelled
}

/// The `enrollment_tokens` table. Methods block: call them on a pool thread.
public struct EnrollmentTokenRecords: Sendable {
    /// Creates the repository; any thread.
    public init() {}

    /// Records a new token.
    public func insert(
        id: String, secretSHA256: String, hostID: String, createdBy: String, expiresAt: Date, on connection: PostgresConnection
    ) throws {
        try connection.execute("""
            INSERT INTO enrollment_tokens (id, secret_sha256, host_id, created_by, expires_at)
            VALUES ($1, $2, $3, $4, $5)
            """, [.string(id), .string(secretSHA256), .string(hostID), .string(createdBy), .date(expiresAt)])
    }

    /// Consumes the token atomically: of any number of racing callers exactly one gets the
    /// host name back; the others (and every later caller) get why not. Run it inside the
    /// transaction that issues the certificate, so a rollback leaves the token unused.
    public func consume(
        id: String, secretSHA256: String, usedBy: String?, on connection: PostgresConnection
    ) throws -> Result<String, TokenRefusal> {
        let rows = try connection.query("""
            UPDATE enrollment_tokens SET used_at = now(), used_by = $3
            WHERE id = $1 AND secret_sha256 = $2 AND used_at IS NULL AND cancelled_at IS NULL AND expires_at > now()
            RETURNING host_id
            """, [.string(id), .string(secretSHA256), usedBy.postgresValue])
        if let row = rows.first { return .success(try row.require("host_id")) }
        let state = try connection.query("""
            SELECT used_at IS NOT NULL AS used, cancelled_at IS NOT NULL AS cancelled, expires_at <= now() AS expired
            FROM enrollment_tokens WHERE id = $1 AND secret_sha256 = $2
            """, [.string(id), .string(secretSHA256)])
        guard let row = state.first else { return .failure(.unknown) }
        if try row.require("used", as: Bool.self) { return .failure(.used) }
        if try row.require("cancelled", as: Bool.self) { return .failure(.cancelled) }
        return .failure(.expired)
    }

    /// Records the certificate a consumed token produced.
    public func attach(serial: String, toToken id: String, on connection: PostgresConnection) throws {
        try connection.execute("UPDATE enrollment_tokens SET certificate_serial = $2 WHERE id = $1", [.string(id), .string(serial)])
    }

    /// Tokens neither used, cancelled nor expired, oldest first.
    public func pending(on connection: PostgresConnection) throws -> [EnrollmentTokenRecord] {
        try connection.query("""
            SELECT * FROM enrollment_tokens
            WHERE used_at IS NULL AND cancelled_at IS NULL AND expires_at > now() ORDER BY created_at, id
            """).map(EnrollmentTokenRecord.init(row:))
    }

    /// One token by id.
    public func token(id: String, on connection: PostgresConnection) throws -> EnrollmentTokenRecord? {
        try connection.query("SELECT * FROM enrollment_tokens WHERE id = $1", [.string(id)]).first.map(EnrollmentTokenRecord.init(row:))
    }

    /// Cancels a pending token; false when it is unknown, used or already cancelled.
    public func cancel(id: String, on connection: PostgresConnection) throws -> Bool {
        try connection.execute(
            "UPDATE enrollment_tokens SET cancelled_at = now() WHERE id = $1 AND used_at IS NULL AND cancelled_at IS NULL",
            [.string(id)]
        ) > 0
    }
}
