import Foundation

/// A certificate's inventory state (`certificates.status`).
public enum CertificateStatus: String, Sendable, Hashable, CaseIterable, PostgresDecodable {
    /// In use (`active`), replaced by a newer one (`superseded`), or `revoked`.
    case active, superseded, revoked

    /// Parses the stored text.
    public init?(postgresText: String) { self.init(rawValue: postgresText) }
}

/// One `certificates` row.
public struct CertificateRecord: Sendable, Hashable {
    /// Uppercase hex.
    public var serial: String
    /// The host the certificate was issued to (its CN).
    public var hostID: String
    /// Lowercase hex SHA-256 of the DER.
    public var fingerprint: String
    /// Start of validity.
    public var notBefore: Date
    /// End of validity.
    public var notAfter: Date
    /// Inventory state.
    public var status: CertificateStatus
    /// When the CA issued it.
    public var issuedAt: Date
    /// When it was revoked, if it was.
    public var revokedAt: Date?
    /// Why it was revoked, if it was.
    public var revocationReason: String?
    /// The certificate in PEM.
    public var pem: String
    /// When a session last presented it.
    public var lastSeen: Date?
    /// The peer address of that session.
    public var lastAddress: String?

    init(row: PostgresRow) throws {
        serial = try row.require("serial")
        hostID = try row.require("host_id")
        fingerprint = try row.require("fingerprint")
        notBefore = try row.require("not_before")
        notAfter = try row.require("not_after")
        status = try row.require("status")
        issuedAt = try row.require("issued_at")
        revokedAt = try row.decode("revoked_at")
        revocationReason = try row.decode("revocation_reason")
        pem = try row.require("pem")
        lastSeen = try row.decode("last_seen")
        lastAddress = try row.decode("last_address")
    }
}

/// The `certificates` inventory. Methods block: call them on a pool thread.
public struct CertificateRecords: Sendable {
    /// Creates the repository; any thread may call it.
    public init() {}

    /// Records an issued certificate (status `active`).
    /// - Throws: ``PostgresError`` `uniqueViolation` for a known serial or fingerprint.
    public func insert(
        serial: String, hostID: String, fingerprint: String, notBefore: Date, notAfter: Date, pem: String,
        issuedAt: Date = Date(), on connection: PostgresConnection
    ) throws {
        try connection.execute("""
            INSERT INTO certificates (serial, host_id, fingerprint, not_before, not_after, pem, issued_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, [
                .string(serial.uppercased()), .string(hostID), .string(fingerprint.lowercased()), .date(notBefore),
                .date(notAfter), .string(pem), .date(issuedAt),
            ])
    }

    /// Every certificate, newest first per host.
    public func list(on connection: PostgresConnection) throws -> [CertificateRecord] {
        try connection.query("SELECT * FROM certificates ORDER BY host_id, issued_at DESC, serial").map(CertificateRecord.init(row:))
    }

    /// One certificate by serial (any case).
    public func certificate(serial: String, on connection: PostgresConnection) throws -> CertificateRecord? {
        try connection.query("SELECT * FROM certificates WHERE serial = $1", [.string(serial.uppercased())])
            .first.map(CertificateRecord.init(row:))
    }

    /// Serials of revoked certificates, ascending.
    public func revokedSerials(on connection: PostgresConnection) throws -> [String] {
        try connection.query("SELECT serial FROM certificates WHERE status = 'revoked' ORDER BY serial").map { try $0.require("serial") }
    }

    /// Revokes one certificate; false when it is unknown or already revoked.
    @discardableResult
    public func revoke(serial: String, reason: String?, at date: Date = Date(), on connection: PostgresConnection) throws -> Bool {
        try connection.execute("""
            UPDATE certificates SET status = 'revoked', revoked_at = $2, revocation_reason = $3
            WHERE serial = $1 AND status <> 'revoked'
            """, [.string(serial.uppercased()), .date(date), reason.postgresValue]) > 0
    }

    /// Revokes every unrevoked certificate of a host; returns their serials.
    public func revokeAll(hostID: String, reason: String?, at date: Date = Date(), on connection: PostgresConnection) throws -> [String] {
        try connection.query("""
            UPDATE certificates SET status = 'revoked', revoked_at = $2, revocation_reason = $3
            WHERE host_id = $1 AND status <> 'revoked' RETURNING serial
            """, [.string(hostID), .date(date), reason.postgresValue]).map { try $0.require("serial") }
    }

    /// Marks a host's other active certificates `superseded`; returns how many.
    @discardableResult
    public func supersede(hostID: String, except serial: String, on connection: PostgresConnection) throws -> Int {
        try connection.execute(
            "UPDATE certificates SET status = 'superseded' WHERE host_id = $1 AND serial <> $2 AND status = 'active'",
            [.string(hostID), .string(serial.uppercased())]
        )
    }

    /// Records that a certificate was just used from `address`.
    public func markSeen(serial: String, at date: Date = Date(), address: String?, on connection: PostgresConnection) throws {
        try connection.execute(
            "UPDATE certificates SET last_seen = GREATEST(last_seen, $2), last_address = COALESCE($3, last_address) WHERE serial = $1",
            [.string(serial.uppercased()), .date(date), address.postgresValue]
        )
    }
}
