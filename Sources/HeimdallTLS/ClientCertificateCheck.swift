internal import CHeimdallOpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// What the hub requires of a client's leaf certificate on every handshake, full or
/// resumed: the clientAuth extended key usage, a validity window containing now, and a
/// serial not in the revocation list. Pure over a borrowed `X509*`: any thread.
enum ClientCertificateCheck {
    /// `X509_V_OK`, or the verification error a full handshake reports for `cert`.
    static func verifyError(_ cert: OpaquePointer, revocations: RevocationList) -> Int32 {
        guard X509Reader.hasClientAuthUsage(cert) else { return X509_V_ERR_INVALID_PURPOSE }
        if X509_cmp_current_time(X509_get0_notBefore(cert)) >= 0 { return X509_V_ERR_CERT_NOT_YET_VALID }
        if X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0 { return X509_V_ERR_CERT_HAS_EXPIRED }
        if revocations.contains(X509Reader.serialHex(of: cert)) { return X509_V_ERR_CERT_REVOKED }
        return X509_V_OK
    }

    /// OpenSSL's text for a verification error, e.g. "certificate revoked".
    static func text(_ error: Int32) -> String {
        X509_verify_cert_error_string(Int(error)).map { String(cString: $0) } ?? "verification error \(error)"
    }
}

extension VerifyPolicy {
    /// The policy of the server context `ssl` was made from (unretained), if it has one.
    static func of(_ ssl: OpaquePointer) -> VerifyPolicy? {
        guard let context = SSL_get_SSL_CTX(ssl), let raw = SSL_CTX_get_ex_data(context, heimdall_SSL_CTX_ex_data_index()) else {
            return nil
        }
        return Unmanaged<VerifyPolicy>.fromOpaque(raw).takeUnretainedValue()
    }
}

/// Runs on the connection's thread after a ticket was decrypted, before the server decides
/// to resume: a ticket whose session is past its lifetime or whose client certificate fails
/// ``ClientCertificateCheck`` now is ignored, so the handshake falls back to a full one and
/// the verify callback refuses that certificate exactly as it would without a ticket.
let ticketDecryptCallback: @convention(c) (
    OpaquePointer?, OpaquePointer?, UnsafePointer<UInt8>?, Int, SSL_TICKET_STATUS, UnsafeMutableRawPointer?
) -> SSL_TICKET_RETURN = { ssl, session, _, _, status, _ in
    guard status == SSL_TICKET_SUCCESS || status == SSL_TICKET_SUCCESS_RENEW else { return SSL_TICKET_RETURN_IGNORE_RENEW }
    guard let ssl, let session, let policy = VerifyPolicy.of(ssl), let cert = SSL_SESSION_get0_peer(session) else {
        return SSL_TICKET_RETURN_IGNORE_RENEW
    }
    let age = time(nil) - SSL_SESSION_get_time(session)
    guard age >= 0, age <= SSL_SESSION_get_timeout(session),
          ClientCertificateCheck.verifyError(cert, revocations: policy.revocationList) == X509_V_OK
    else { return SSL_TICKET_RETURN_IGNORE_RENEW }
    return status == SSL_TICKET_SUCCESS ? SSL_TICKET_RETURN_USE : SSL_TICKET_RETURN_USE_RENEW
}
