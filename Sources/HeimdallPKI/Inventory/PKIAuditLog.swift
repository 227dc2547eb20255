import Foundation
import HeimdallStore

/// One `pki_audit` row: who did what to which host or certificate, and how it ended.
public struct PKIAuditEntry: Sendable, Hashable {
    /// Row id (increasing).
    public var id: Int64
    /// When it was written.
    public var at: Date
    /// The OS user who ran the operation.
    public var actor: String
    /// `init`, `issue`, `revoke`, ...
    public var action: String
    /// The host concerned, when any.
    public var hostID: String?
    /// The certificate serial concerned, when any.
    public var serial: String?
    /// `success` or `failure`.
    public var outcome: String
    /// Free text (reason, error sentence, ...).
    public var detail: String?
}

/// The append-only `pki_audit` table (schema version 2). Methods block: call them on a
/// pool thread (e.g. inside `Database.withConnection`).
public struct PKIAuditLog: Sendable {
    /// Outcome of a successful operation.
    public static let success = "success"
    /// Outcome of a failed or refused operation.
    public static let failure = "failure"

    /// Creates the repository. Any thread.
    public init() {}

    /// Appends one row.
    public func record(
        actor: String, action: String, hostID: String? = nil, serial: String? = nil, outcome: String,
        detail: String? = nil, on connection: PostgresConnection
    ) throws {
        try connection.execute("""
            INSERT INTO pki_audit (actor, action, host_id, serial, outcome, detail)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [
                .string(actor), .string(action), hostID.map(PostgresValue.string), serial.map(PostgresValue.string),
                .string(outcome), detail.map(PostgresValue.string),
            ])
    }

    /// Every row, oldest first.
    public func entries(on connection: PostgresConnection) throws -> [PKIAuditEntry] {
        try connection.query("SELECT * FROM pki_audit ORDER BY id").map { row in
            PKIAuditEntry(
                id: try row.require("id"), at: try row.require("at"), actor: try row.require("actor"),
                action: try row.require("action"), hostID: try row.decode("host_id"), serial: try row.decode("serial"),
                outcome: try row.require("outcome"), detail: try row.decode("detail")
            )
        }
    }
}
