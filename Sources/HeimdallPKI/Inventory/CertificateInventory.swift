import Foundation
import HeimdallStore

/// The CA's state-changing operations with their bookkeeping: every `init`, `issue` and
/// `revoke` writes a `pki_audit` row (success or failure); issued certificates go to the
/// `certificates` inventory. Sendable; methods run blocking work on the database's pool
/// or the calling task (file I/O, key generation), so call them from a CLI or test task.
public struct CertificateInventory: Sendable {
    /// The database holding `certificates` and `pki_audit`.
    public let database: Database
    /// The CA directory (`ca.pem`, `intermediate.key`, `intermediate.pem`, ...).
    public let pkiDirectory: String
    /// Who is acting (recorded in `pki_audit.actor`).
    public let actor: String

    /// Creates the service. Any thread.
    public init(database: Database, pkiDirectory: String, actor: String = OperatorIdentity.current) {
        self.database = database
        self.pkiDirectory = pkiDirectory
        self.actor = actor
    }

    /// Creates the root, the intermediate and the hub certificate
    /// (``CertificateAuthority/initialize(directory:caName:hubNames:days:intermediateDays:)``);
    /// `days` is the root's validity. The hub certificate is not a host certificate, so it
    /// is not put in `certificates`.
    public func initialize(
        caName: String, hubNames: [String], days: Int, intermediateDays: Int = CertificateAuthority.defaultIntermediateDays
    ) async throws -> CertificateAuthority {
        do {
            let authority = try CertificateAuthority.initialize(
                directory: pkiDirectory, caName: caName, hubNames: hubNames, days: days, intermediateDays: intermediateDays
            )
            let names = (["localhost", "127.0.0.1"] + hubNames).joined(separator: ", ")
            try await audit(
                "init", serial: authority.certificate.serialNumber,
                detail: "root CA \"\(caName)\" and intermediate \(authority.intermediate.serialNumber) in \(pkiDirectory); hub names: \(names)"
            )
            return authority
        } catch {
            await auditFailure("init", detail: error)
            throw error
        }
    }

    /// Issues a host certificate with the intermediate, records it (older active ones become
    /// `superseded`) and writes `host.key` (0600), `host.pem` (certificate + intermediate) and
    /// `ca.pem` (the root) into `outDirectory`. The files are
    /// written inside the recording transaction, before COMMIT: a bundle that cannot be
    /// written leaves no certificate recorded and no older one superseded.
    public func issue(host: String, outDirectory: String, days: Int) async throws -> IssuedCertificate {
        var hostID: String? = host
        do {
            let authority = try CertificateAuthority.load(directory: pkiDirectory)
            let issued = try authority.issueHostCertificate(host: host, days: days)
            let certificate = issued.certificate
            let name = certificate.commonName ?? host
            hostID = name
            let actor = self.actor
            try await database.withConnection { connection in
                try connection.transaction { connection in
                    try CertificateRecords().insert(
                        serial: certificate.serialNumber, hostID: name, fingerprint: certificate.fingerprintSHA256,
                        notBefore: certificate.notBefore, notAfter: certificate.notAfter, pem: issued.certificatePEM,
                        on: connection
                    )
                    try CertificateRecords().supersede(hostID: name, except: certificate.serialNumber, on: connection)
                    try PKIAuditLog().record(
                        actor: actor, action: "issue", hostID: name, serial: certificate.serialNumber,
                        outcome: PKIAuditLog.success, detail: "bundle written to \(outDirectory)", on: connection
                    )
                    try authority.writeBundle(issued, to: outDirectory)
                }
            }
            return issued
        } catch {
            await auditFailure("issue", host: hostID, detail: error)
            throw error
        }
    }

    /// Revokes every unrevoked certificate of `host`; returns their serials.
    /// - Throws: ``InventoryError`` for a host without certificates or with all revoked.
    public func revoke(host: String, reason: RevocationReason) async throws -> [String] {
        var hostID = host
        do {
            hostID = try HostName.normalize(host)
            let name = hostID
            let actor = self.actor
            return try await database.withConnection { connection in
                try connection.transaction { connection in
                    let serials = try CertificateRecords().revokeAll(hostID: name, reason: reason.rawValue, on: connection)
                    if serials.isEmpty {
                        let known = try connection.query("SELECT 1 FROM certificates WHERE host_id = $1", [.string(name)]).count > 0
                        throw known
                            ? InventoryError(code: .alreadyRevoked, message: "Every certificate of host \(name) is already revoked.")
                            : InventoryError(code: .unknownHost, message: "No certificate was ever issued to host \(name).")
                    }
                    for serial in serials {
                        try PKIAuditLog().record(
                            actor: actor, action: "revoke", hostID: name, serial: serial, outcome: PKIAuditLog.success,
                            detail: "reason \(reason.rawValue)", on: connection
                        )
                    }
                    return serials.sorted()
                }
            }
        } catch {
            await auditFailure("revoke", host: hostID, detail: error)
            throw error
        }
    }

    /// Revokes one certificate by serial (hex, any case, colons allowed); returns its host.
    /// - Throws: ``InventoryError`` for an unknown or already revoked serial.
    public func revoke(serial: String, reason: RevocationReason) async throws -> String {
        let normalized = String(serial.uppercased().filter { $0 != ":" })
        do {
            let actor = self.actor
            return try await database.withConnection { connection in
                try connection.transaction { connection in
                    guard let record = try CertificateRecords().certificate(serial: normalized, on: connection) else {
                        throw InventoryError(code: .unknownSerial, message: "No certificate has serial \(normalized).")
                    }
                    guard try CertificateRecords().revoke(serial: normalized, reason: reason.rawValue, on: connection) else {
                        throw InventoryError(code: .alreadyRevoked, message: "Certificate \(normalized) is already revoked.")
                    }
                    try PKIAuditLog().record(
                        actor: actor, action: "revoke", hostID: record.hostID, serial: normalized,
                        outcome: PKIAuditLog.success, detail: "reason \(reason.rawValue)", on: connection
                    )
                    return record.hostID
                }
            }
        } catch {
            await auditFailure("revoke", serial: normalized, detail: error)
            throw error
        }
    }

    /// The inventory with statuses computed at `now`, by host then newest first.
    public func list(now: Date = Date()) async throws -> [InventoryEntry] {
        try await database.withConnection { try CertificateRecords().list(on: $0) }.map { InventoryEntry(record: $0, now: now) }
    }

    /// The current CRL in PEM, listing every revoked certificate, signed by the intermediate.
    public func revocationList(now: Date = Date()) async throws -> String {
        let records = try await database.withConnection { try CertificateRecords().list(on: $0) }
        let revoked = records.filter { $0.status == .revoked }.map { record in
            RevokedCertificate(
                serial: record.serial, revokedAt: record.revokedAt ?? record.issuedAt,
                reason: record.revocationReason.flatMap(RevocationReason.init(rawValue:))
            )
        }
        return try RevocationListBuilder.pem(pkiDirectory: pkiDirectory, revoked: revoked, now: now)
    }

    private func audit(_ action: String, host: String? = nil, serial: String? = nil, detail: String) async throws {
        let actor = self.actor
        try await database.withConnection { connection in
            try PKIAuditLog().record(
                actor: actor, action: action, hostID: host, serial: serial, outcome: PKIAuditLog.success, detail: detail,
                on: connection
            )
        }
    }

    /// Best effort: a failure to audit a failure must not hide the original error.
    private func auditFailure(_ action: String, host: String? = nil, serial: String? = nil, detail error: any Error) async {
        let actor = self.actor
        let detail = String(describing: error)
        _ = try? await database.withConnection { connection in
            try PKIAuditLog().record(
                actor: actor, action: action, hostID: host, serial: serial, outcome: PKIAuditLog.failure, detail: detail,
                on: connection
            )
        }
    }
}
