import HeimdallTLS

/// A freshly issued certificate with its private key. Any thread.
public struct IssuedCertificate: Sendable {
    /// The certificate in PEM.
    public let certificatePEM: String
    /// The certificate's private key (secret).
    public let privateKey: PrivateKey
    /// The certificate's facts (CN, serial, fingerprint, ...).
    public let certificate: PeerCertificate

    /// Bundles the parts. Any thread.
    public init(certificatePEM: String, privateKey: PrivateKey, certificate: PeerCertificate) {
        self.certificatePEM = certificatePEM
        self.privateKey = privateKey
        self.certificate = certificate
    }
}

/// A certificate signed for a request; the private key stays with the requester. Any thread.
public struct SignedCertificate: Hashable, Sendable {
    /// The certificate in PEM.
    public let certificatePEM: String
    /// The certificate's facts.
    public let certificate: PeerCertificate

    /// Bundles the parts. Any thread.
    public init(certificatePEM: String, certificate: PeerCertificate) {
        self.certificatePEM = certificatePEM
        self.certificate = certificate
    }
}
