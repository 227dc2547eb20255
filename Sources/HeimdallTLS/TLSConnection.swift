internal import CHeimdallOpenSSL
import NIOCore

/// The outcome of one non-blocking OpenSSL step.
enum TLSStep {
    /// The step finished.
    case complete
    /// OpenSSL needs more bytes from the network.
    case wantRead
    /// OpenSSL needs to write first (does not happen with memory BIOs, kept for mapping).
    case wantWrite
    /// The peer sent close_notify.
    case closedByPeer
    /// The step failed; the error carries OpenSSL's error stack.
    case failed(TLSError)
}

/// One `SSL*` between two memory BIOs: bytes from the network go into `input`, bytes for
/// the network are drained from `output`. Owned by one ``TLSHandler``; event loop only.
final class TLSConnection {
    private let ssl: OpaquePointer
    private let input: OpaquePointer
    private let output: OpaquePointer
    private let checksClientCertificate: Bool
    /// Kept alive while the `SSL*` points at it (client connections with resumption).
    private let resumptionSlot: ResumptionSlot?
    /// True when a saved session was offered to the server.
    let offeredSession: Bool

    /// Creates a connection from `context`, or nil when OpenSSL cannot allocate one. A
    /// client connection with `resumption` offers the session saved for its key and saves
    /// the ones the server sends.
    init?(context: TLSContext, resumption: TLSResumption? = nil) {
        guard let ssl = context.makeConnection() else { return nil }
        guard let input = BIO_new(BIO_s_mem()), let output = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            return nil
        }
        // An empty memory BIO reports "retry" rather than EOF.
        _ = heimdall_BIO_set_mem_eof_return(input, -1)
        _ = heimdall_BIO_set_mem_eof_return(output, -1)
        SSL_set_bio(ssl, input, output)  // The SSL now owns both BIOs.
        switch context.role {
        case .server: SSL_set_accept_state(ssl)
        case .client: SSL_set_connect_state(ssl)
        }
        self.ssl = ssl
        self.input = input
        self.output = output
        checksClientCertificate = context.role == .server && context.checksClientCertificates
        guard context.role == .client, let resumption else {
            resumptionSlot = nil
            offeredSession = false
            return
        }
        let slot = ResumptionSlot(resumption)
        resumptionSlot = slot
        SSL_set_ex_data(ssl, heimdall_SSL_ex_data_index(), Unmanaged.passUnretained(slot).toOpaque())
        if let saved = resumption.cache.session(for: resumption.key) {
            offeredSession = SSL_set_session(ssl, saved.pointer) == 1
        } else {
            offeredSession = false
        }
    }

    deinit {
        SSL_free(ssl)
    }

    /// Queues bytes received from the network.
    func feed(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return }
            _ = BIO_write(input, base, Int32(raw.count))
        }
    }

    /// Advances the handshake.
    func handshake() -> TLSStep {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        return result == 1 ? .complete : step(for: result, duringHandshake: true)
    }

    /// Decrypts up to one record's worth of application data into a new buffer.
    ///
    /// When neither the network nor OpenSSL holds unread bytes it answers `wantRead` without
    /// calling OpenSSL. The buffer is sized by what is waiting (a record's plaintext is never
    /// longer than its ciphertext, plus what OpenSSL already holds), so a small frame does
    /// not cost a 16 KiB allocation; a larger plaintext simply takes another call.
    func read(allocator: ByteBufferAllocator) -> (ByteBuffer?, TLSStep) {
        let waiting = heimdall_BIO_pending(input)
        guard waiting > 0 || SSL_has_pending(ssl) == 1 else { return (nil, .wantRead) }
        ERR_clear_error()
        let capacity = min(16_384, max(512, waiting + Int(SSL_pending(ssl))))
        var buffer = allocator.buffer(capacity: capacity)
        var result: Int32 = 0
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { raw in
            result = SSL_read(ssl, raw.baseAddress, Int32(min(raw.count, Int(Int32.max))))
            return max(Int(result), 0)
        }
        if result > 0 {
            return (buffer, .complete)
        }
        return (nil, step(for: result, duringHandshake: false))
    }

    /// Encrypts all of `buffer` (a memory BIO accepts everything at once).
    func write(_ buffer: ByteBuffer) -> TLSStep {
        ERR_clear_error()
        var step = TLSStep.complete
        buffer.withUnsafeReadableBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return }
            let result = SSL_write(ssl, base, Int32(raw.count))
            if result <= 0 {
                step = self.step(for: result, duringHandshake: false)
            }
        }
        return step
    }

    /// Queues our close_notify.
    func shutdown() {
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    /// Takes everything OpenSSL wants to send, or nil when there is nothing.
    func drainOutput(allocator: ByteBufferAllocator) -> ByteBuffer? {
        let pending = heimdall_BIO_pending(output)
        guard pending > 0 else { return nil }
        var buffer = allocator.buffer(capacity: pending)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { raw in
            max(Int(BIO_read(output, raw.baseAddress, Int32(pending))), 0)
        }
        return buffer
    }

    /// What the completed handshake negotiated.
    func handshakeSummary() -> TLSHandshakeCompleted {
        var peer: PeerCertificate?
        if let cert = SSL_get1_peer_certificate(ssl) {
            peer = PeerCertificate(borrowing: cert)
            X509_free(cert)
        }
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        let alpn = data.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(length)), as: UTF8.self) }
        let version = SSL_get_version(ssl).map { String(cString: $0) } ?? "unknown"
        return TLSHandshakeCompleted(peerCertificate: peer, alpn: alpn, protocolVersion: version, resumed: SSL_session_reused(ssl) == 1)
    }

    /// On a server requiring client certificates, why the completed handshake must be
    /// refused after all: the peer's leaf, taken from the session (so also after a
    /// resumption, which skips the verify callback), fails ``ClientCertificateCheck``
    /// against the revocation list as it is now. Nil when it passes or nothing is checked.
    func refusal(revocations: RevocationList) -> TLSError? {
        guard checksClientCertificate else { return nil }
        guard let cert = SSL_get1_peer_certificate(ssl) else {
            return TLSError(code: .certificateRequired, message: "a client certificate is required and none was presented")
        }
        defer { X509_free(cert) }
        let error = ClientCertificateCheck.verifyError(cert, revocations: revocations)
        guard error != X509_V_OK else { return nil }
        return TLSError(
            code: .certificateVerifyFailed, message: "certificate verification failed after the handshake",
            verifyResult: ClientCertificateCheck.text(error)
        )
    }

    private func step(for result: Int32, duringHandshake: Bool) -> TLSStep {
        let code = SSL_get_error(ssl, result)
        switch code {
        case SSL_ERROR_WANT_READ:
            return .wantRead
        case SSL_ERROR_WANT_WRITE:
            return .wantWrite
        case SSL_ERROR_ZERO_RETURN:
            return .closedByPeer
        default:
            return .failed(TLSErrorMapping.error(
                sslError: code, entries: OpenSSLErrorStack.drain(),
                verifyResult: verifyResultText(), duringHandshake: duringHandshake
            ))
        }
    }

    private func verifyResultText() -> String? {
        let result = SSL_get_verify_result(ssl)
        guard result != X509_V_OK else { return nil }
        return X509_verify_cert_error_string(result).map { String(cString: $0) }
    }
}

@available(*, unavailable)
extension TLSConnection: Sendable {}
