/// Fired as a user inbound event by ``TLSHandler`` once the handshake succeeds.
public struct TLSHandshakeCompleted: Hashable, Sendable {
    /// The peer's leaf certificate (always present on a mutual-TLS server; the server's
    /// certificate on a client). After a resumption, the certificate of the original session.
    public let peerCertificate: PeerCertificate?
    /// The negotiated ALPN protocol, or nil when none was negotiated.
    public let alpn: String?
    /// The negotiated protocol version as OpenSSL names it, e.g. "TLSv1.3".
    public let protocolVersion: String
    /// True when the handshake resumed an earlier session (a TLS 1.3 ticket) instead of
    /// running a full one.
    public let resumed: Bool

    /// Creates the event. Any thread.
    public init(peerCertificate: PeerCertificate?, alpn: String?, protocolVersion: String, resumed: Bool = false) {
        self.peerCertificate = peerCertificate
        self.alpn = alpn
        self.protocolVersion = protocolVersion
        self.resumed = resumed
    }
}
