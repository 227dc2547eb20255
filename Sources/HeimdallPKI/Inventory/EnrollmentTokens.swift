import Foundation
import HeimdallProtocol
import HeimdallStore
import HeimdallTLS

/// A token just created: the string to hand over and what was recorded.
public struct CreatedToken: Sendable, Hashable {
    /// The opaque token string (print it alone).
    public var text: String
    /// The token's public id.
    public var id: String
    /// The normalized host name it is bound to.
    public var host: String
    /// When it expires.
    public var expiresAt: Date
}

/// Enrollment tokens: create, list, cancel (each audited in `pki_audit`).
extension CertificateInventory {
    /// The default token lifetime (24 h).
    public static let defaultTokenLifetime: TimeInterval = 86_400

    /// Creates a one-time token for `host` valid for `lifetime`, naming `enrollAddress`
    /// (`ADDR:PORT`, the enrollment listener as agents reach it) and pinning this CA.
    /// Stores only the SHA-256 of the secret.
    public func createToken(host: String, lifetime: TimeInterval, enrollAddress: String) async throws -> CreatedToken {
        var hostID = host
        do {
            hostID = try HostName.normalize(host)
            let caPEM = try PKIFiles.readText(CAPaths(directory: pkiDirectory).caCertificate)
            let fingerprint = try PeerCertificate(pem: caPEM).fingerprintSHA256
            let token = EnrollmentToken.generate(address: enrollAddress, caFingerprint: fingerprint, host: hostID)
            guard token.endpoint != nil else {
                throw InventoryError(code: .invalidArgument, message: "invalid enrollment address \(enrollAddress); expected ADDR:PORT")
            }
            guard lifetime > 0 else { throw InventoryError(code: .invalidArgument, message: "the token lifetime must be positive") }
            let expiresAt = Date() + lifetime
            let (actor, name) = (self.actor, hostID)
            try await database.withConnection { connection in
                try connection.transaction { connection in
                    try EnrollmentTokenRecords().insert(
                        id: token.id, secretSHA256: SHA256Digest.hex(token.secret), hostID: name, createdBy: actor,
                        expiresAt: expiresAt, on: connection
                    )
                    try PKIAuditLog().record(
                        actor: actor, action: "enroll", hostID: name, outcome: PKIAuditLog.success,
                        detail: "token \(token.id) for \(enrollAddress), expires \(RFC3339.format(expiresAt))", on: connection
                    )
                }
            }
            return CreatedToken(text: token.encoded, id: token.id, host: hostID, expiresAt: expiresAt)
        } catch {
            await auditTokenFailure("enroll", host: hostID, detail: error)
            throw error
        }
    }

    /// Tokens neither used, cancelled nor expired, oldest first.
    public func pendingTokens() async throws -> [EnrollmentTokenRecord] {
        try await database.withConnection { try EnrollmentTokenRecords().pending(on: $0) }
    }

    /// Cancels a pending token; returns its host.
    /// - Throws: ``InventoryError`` `unknownToken` when there is no pending token `id`.
    public func cancelToken(id: String) async throws -> String {
        let normalized = id.lowercased()
        do {
            let actor = self.actor
            return try await database.withConnection { connection in
                try connection.transaction { connection in
                    let records = EnrollmentTokenRecords()
                    guard let record = try records.token(id: normalized, on: connection), try records.cancel(id: normalized, on: connection) else {
                        throw InventoryError(code: .unknownToken, message: "No pending enrollment token has id \(normalized).")
                    }
                    try PKIAuditLog().record(
                        actor: actor, action: "cancel", hostID: record.hostID, outcome: PKIAuditLog.success,
                        detail: "token \(normalized)", on: connection
                    )
                    return record.hostID
                }
            }
        } catch {
            await auditTokenFailure("cancel", host: nil, detail: error)
            throw error
        }
    }

    private func auditTokenFailure(_ action: String, host: String?, detail error: any Error) async {
        let actor = self.actor
        let detail = String(describing: error)
        _ = try? await database.withConnection { connection in
            try PKIAuditLog().record(actor: actor, action: action, hostID: host, outcome: PKIAuditLog.failure, detail: detail, on: connection)
        }
    }
}
