import HeimdallTLS

/// Builds ``PKIError``s from OpenSSL's per-thread error queue (call on the failing thread).
enum OpenSSLFailure {
    /// A `.crypto` error with every queued OpenSSL reason, oldest first.
    static func error(_ message: String) -> PKIError {
        PKIError(code: .crypto, message: message, openSSLReasons: OpenSSLErrorStack.drainReasons())
    }
}
