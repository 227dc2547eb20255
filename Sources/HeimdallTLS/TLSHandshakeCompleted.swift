/// Fired as a user inbound event by ``TLSHandler`` once the handshake succeeds.
public struct TLSHandshakeCompleted: Hashable, Sendable {
    /// The peer's leaf certificate (always present on a mutual-TLS server; the server's
    /// certificate on a client).
    public let peerCertificate: PeerCertificate?
    /// The negotiated ALPN protocol, or nil when none was negotiated.
    public let alpn: String?
    /// The negotiated protocol version as OpenSSL names it, e.g. "TLSv1.3".
    public let protocolVersion: String

    /// Creates the event. Any thread.
    public init(peerCertificate: PeerCertificate?, alpn: String?, protocolVersion: String) {
        self.peerCertificate = peerCertificate
        self.alpn = alpn
        self.protocolVersion = protocolVersion
    }
}
