import HeimdallTLS

/// A freshly issued certificate with its private key. Any thread.
public struct IssuedCertificate: Sendable {
    /// The certificate alone in PEM (what the inventory records).
    public let certificatePEM: String
    /// The certificate followed by its issuing intermediate: what `host.pem` holds and a
    /// TLS peer presents, so that verifiers trusting only the root can build the chain.
    public let chainPEM: String
    /// The certificate's private key (secret).
    public let privateKey: PrivateKey
    /// The certificate's facts (CN, serial, fingerprint, ...).
    public let certificate: PeerCertificate

    /// Bundles the parts; `chainPEM` defaults to the certificate alone. Any thread.
    public init(certificatePEM: String, privateKey: PrivateKey, certificate: PeerCertificate, chainPEM: String? = nil) {
        self.certificatePEM = certificatePEM
        self.chainPEM = chainPEM ?? certificatePEM
        self.privateKey = privateKey
        self.certificate = certificate
    }
}

/// A certificate signed for a request; the private key stays with the requester. Any thread.
public struct SignedCertificate: Hashable, Sendable {
    /// The certificate alone in PEM (what the inventory records).
    public let certificatePEM: String
    /// The certificate followed by its issuing intermediate (what `enrolled` and `renewed`
    /// frames carry in `certificate`).
    public let chainPEM: String
    /// The certificate's facts.
    public let certificate: PeerCertificate

    /// Bundles the parts; `chainPEM` defaults to the certificate alone. Any thread.
    public init(certificatePEM: String, certificate: PeerCertificate, chainPEM: String? = nil) {
        self.certificatePEM = certificatePEM
        self.chainPEM = chainPEM ?? certificatePEM
        self.certificate = certificate
    }
}
