import Foundation
import HeimdallProtocol
import HeimdallStore
import HeimdallTLS
import Logging

/// Checks one `enroll` request and, when everything holds, issues the host certificate.
///
/// In order: the token decodes and was made for this CA (`invalid_token`); then, in one
/// transaction, the token is consumed atomically (`invalid_token`, `token_used`,
/// `token_expired`), the CSR is checked and signed for the token's host (`csr_invalid`,
/// `name_mismatch`), the certificate is recorded (older ones of the host become
/// `superseded`) and audited. Any refusal rolls the transaction back, so a bad CSR does not
/// burn the token. Every outcome is written to `pki_audit` as an `enrollment`. Sendable;
/// call from any task (the database work runs on its pool).
public struct EnrollmentService: Sendable {
    /// The database holding tokens, certificates and the audit log.
    public let database: Database
    /// The CA that signs.
    public let authority: CertificateAuthority
    /// The session listener address handed to enrolled agents (`ADDR:PORT`).
    public let sessionAddress: String
    /// Validity of issued certificates.
    public let certificateDays: Int
    /// Recorded as `pki_audit.actor`.
    public let actor: String

    /// Creates the service. Any thread.
    public init(database: Database, authority: CertificateAuthority, sessionAddress: String, certificateDays: Int = 90, actor: String = "hub") {
        self.database = database
        self.authority = authority
        self.sessionAddress = sessionAddress
        self.certificateDays = certificateDays
        self.actor = actor
    }

    /// Checks `request` from `peer` (an IP address, for the record) and answers.
    public func enroll(_ request: EnrollRequest, from peer: String?) async -> Result<Enrolled, ProtocolError> {
        var host: String?
        do {
            let token = try EnrollmentToken.decode(request.token)
            host = token.host
            guard token.caFingerprint == authority.certificate.fingerprintSHA256.lowercased().filter({ $0 != ":" }) else {
                throw ProtocolError(.invalidToken, "the token was made for another CA")
            }
            let enrolled = try await issue(token: token, csr: request.csr, peer: peer)
            return .success(enrolled)
        } catch {
            let failure = (error as? ProtocolError) ?? ProtocolError(.internal, "enrollment failed on the hub")
            let detail = "\(failure.code.rawValue): \(failure.message)" + (peer.map { " (from \($0))" } ?? "")
                + ((error is ProtocolError) ? "" : " [\(error)]")
            let (actor, hostID) = (self.actor, host)
            _ = try? await database.withConnection { connection in
                try PKIAuditLog().record(
                    actor: actor, action: "enrollment", hostID: hostID, outcome: PKIAuditLog.failure, detail: detail, on: connection
                )
            }
            return .failure(failure)
        }
    }

    private func issue(token: EnrollmentToken, csr: String, peer: String?) async throws -> Enrolled {
        let hash = SHA256Digest.hex(token.secret)
        let (authority, days, actor, sessionAddress) = (self.authority, certificateDays, self.actor, self.sessionAddress)
        return try await database.withConnection { connection in
            try connection.transaction { connection in
                let records = EnrollmentTokenRecords()
                let host: String
                switch try records.consume(id: token.id, secretSHA256: hash, usedBy: peer, on: connection) {
                case .success(let name): host = name
                case .failure(.unknown): throw ProtocolError(.invalidToken, "unknown token")
                case .failure(.used): throw ProtocolError(.tokenUsed, "the token was already used")
                case .failure(.expired): throw ProtocolError(.tokenExpired, "the token has expired")
                case .failure(.cancelled): throw ProtocolError(.invalidToken, "the token was cancelled")
                }
                let signed: SignedCertificate
                do {
                    signed = try authority.sign(requestPEM: csr, host: host, days: days)
                } catch let error as PKIError {
                    switch error.code {
                    case .nameMismatch: throw ProtocolError(.nameMismatch, error.message)
                    case .csrInvalid: throw ProtocolError(.csrInvalid, error.message)
                    default: throw ProtocolError(.internal, "cannot sign the request: \(error.message)")
                    }
                }
                let certificate = signed.certificate
                try CertificateRecords().insert(
                    serial: certificate.serialNumber, hostID: host, fingerprint: certificate.fingerprintSHA256,
                    notBefore: certificate.notBefore, notAfter: certificate.notAfter, pem: signed.certificatePEM, on: connection
                )
                try CertificateRecords().supersede(hostID: host, except: certificate.serialNumber, on: connection)
                try records.attach(serial: certificate.serialNumber, toToken: token.id, on: connection)
                try PKIAuditLog().record(
                    actor: actor, action: "enrollment", hostID: host, serial: certificate.serialNumber, outcome: PKIAuditLog.success,
                    detail: "token \(token.id)" + (peer.map { " from \($0)" } ?? ""), on: connection
                )
                return Enrolled(host: host, certificate: signed.chainPEM, ca: authority.certificatePEM, hub: sessionAddress)
            }
        }
    }
}
