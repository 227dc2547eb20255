import Foundation
import HeimdallPKI
import HeimdallProtocol
import HeimdallStore
import Logging

/// Signs the CSR an agent sends over its live session (`renew`) and records the result:
/// the new certificate is inserted, the host's older certificates become `superseded`
/// (still valid until they expire, so the live session goes on), and a `renewal` row is
/// appended to `pki_audit` — all in one transaction. Thread-safe; blocking work runs on the
/// database's thread pool.
public final class CertificateRenewer: Sendable {
    private let authority: CertificateAuthority
    private let database: Database
    private let days: Int
    private let logger: Logger

    public init(authority: CertificateAuthority, database: Database, days: Int, logger: Logger) {
        self.authority = authority
        self.database = database
        self.days = days
        self.logger = logger
    }

    /// The `renewed` answer for `request` from the session of `host` using `serial`, or the
    /// protocol error to send (not fatal: the session goes on with its current certificate).
    public func renew(_ request: RenewalRequest, host: String, serial: String) async -> Result<Renewal, ProtocolError> {
        let authority = self.authority
        let days = self.days
        do {
            let signed = try authority.sign(requestPEM: request.csr, host: host, days: days)
            let certificate = signed.certificate
            try await database.withConnection { connection in
                try connection.transaction { connection in
                    try CertificateRecords().insert(
                        serial: certificate.serialNumber, hostID: host, fingerprint: certificate.fingerprintSHA256,
                        notBefore: certificate.notBefore, notAfter: certificate.notAfter, pem: signed.certificatePEM, on: connection
                    )
                    try CertificateRecords().supersede(hostID: host, except: certificate.serialNumber, on: connection)
                    try PKIAuditLog().record(
                        actor: "heimdall-hub", action: "renewal", hostID: host, serial: certificate.serialNumber,
                        outcome: PKIAuditLog.success, detail: "replaces \(serial) over its live session", on: connection
                    )
                }
            }
            logger.notice("certificate renewed", metadata: ["host": "\(host)", "old": "\(serial)", "new": "\(certificate.serialNumber)"])
            return .success(Renewal(certificate: signed.chainPEM, ca: authority.certificatePEM))
        } catch {
            let refusal = Self.protocolError(for: error)
            logger.warning("renewal refused", metadata: ["host": "\(host)", "error": "\(error)"])
            try? await database.withConnection { connection in
                try PKIAuditLog().record(
                    actor: "heimdall-hub", action: "renewal", hostID: host, serial: serial, outcome: PKIAuditLog.failure,
                    detail: refusal.message, on: connection
                )
            }
            return .failure(refusal)
        }
    }

    static func protocolError(for error: any Error) -> ProtocolError {
        guard let pkiError = error as? PKIError else { return ProtocolError(.internal, "the hub could not renew the certificate") }
        switch pkiError.code {
        case .csrInvalid: return ProtocolError(.csrInvalid, pkiError.message)
        case .nameMismatch: return ProtocolError(.nameMismatch, pkiError.message)
        default: return ProtocolError(.internal, "the hub could not renew the certificate")
        }
    }
}
