internal import CHeimdallOpenSSL

/// Turns what OpenSSL said into what Heimdall decided. Pure: any thread.
enum TLSErrorMapping {
    private static let certificateRequired: Set<Int32> = [
        SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE, SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED,
    ]
    private static let verifyFailed: Set<Int32> = [
        SSL_R_CERTIFICATE_VERIFY_FAILED, SSL_R_SSLV3_ALERT_BAD_CERTIFICATE,
        SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE, SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED,
        SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED, SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN,
        SSL_R_TLSV1_ALERT_UNKNOWN_CA,
    ]
    private static let noApplicationProtocol: Set<Int32> = [
        SSL_R_NO_APPLICATION_PROTOCOL, SSL_R_TLSV1_ALERT_NO_APPLICATION_PROTOCOL,
    ]
    private static let protocolVersion: Set<Int32> = [
        SSL_R_UNSUPPORTED_PROTOCOL, SSL_R_TLSV1_ALERT_PROTOCOL_VERSION,
    ]

    /// The error for a failed step with OpenSSL's `SSL_get_error` value `sslError`.
    static func error(sslError: Int32, entries: [OpenSSLErrorEntry], verifyResult: String?, duringHandshake: Bool) -> TLSError {
        let reasons = entries.map(\.text)
        let codes = Set(entries.map(\.reason))
        let (code, message): (TLSError.Code, String)
        if !codes.isDisjoint(with: certificateRequired) {
            (code, message) = (.certificateRequired, "a client certificate is required and none was presented")
        } else if !codes.isDisjoint(with: noApplicationProtocol) {
            (code, message) = (.noApplicationProtocol, "no common ALPN protocol")
        } else if !codes.isDisjoint(with: protocolVersion) {
            (code, message) = (.protocolVersion, "no common TLS protocol version")
        } else if !codes.isDisjoint(with: verifyFailed) || verifyResult != nil {
            (code, message) = (.certificateVerifyFailed, "certificate verification failed")
        } else if codes.contains(SSL_R_UNEXPECTED_EOF_WHILE_READING) || (sslError == SSL_ERROR_SYSCALL && entries.isEmpty) {
            (code, message) = (.unexpectedEOF, "the connection ended before the TLS session did")
        } else if duringHandshake {
            (code, message) = (.handshakeFailed, "the TLS handshake failed")
        } else {
            (code, message) = (.io, "TLS record processing failed (SSL error \(sslError))")
        }
        return TLSError(code: code, message: message, openSSLReasons: reasons, verifyResult: verifyResult)
    }
}
