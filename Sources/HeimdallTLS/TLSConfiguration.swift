/// A TLS protocol version Heimdall accepts. Nothing older than TLS 1.2 exists here.
public enum TLSVersion: String, Hashable, Sendable, CaseIterable {
    /// TLS 1.2 (then only ECDHE key exchange with AEAD ciphers).
    case v1_2 = "TLSv1.2"
    /// TLS 1.3.
    case v1_3 = "TLSv1.3"
}

/// How a server (the hub) speaks TLS. A plain value: build it anywhere.
public struct TLSServerConfiguration: Hashable, Sendable {
    /// PEM file with the server certificate, followed by any intermediates.
    public var certificateChainPath: String
    /// PEM private key; refused when group or world accessible.
    public var privateKeyPath: String
    /// PEM file with the CA(s) that client certificates must chain to.
    public var trustRootsPath: String
    /// ALPN protocols we accept, most preferred first. A client offering ALPN without any
    /// of them is refused with `no_application_protocol`; a client offering none is accepted.
    public var applicationProtocols: [String]
    /// Lowest TLS version accepted (TLS 1.3 by default).
    public var minimumVersion: TLSVersion
    /// When true (the default), clients must present a certificate that chains to
    /// `trustRootsPath`, carries the clientAuth extended key usage and is not revoked.
    public var requireClientCertificate: Bool
    /// When set, the server issues stateless session tickets valid this long, encrypted
    /// with the keys given to ``TLSContext/installTicketKeys(_:)``, and resumes sessions
    /// whose certificate still passes the revocation, validity and clientAuth checks. Nil
    /// (the default) turns resumption off: every handshake is a full one.
    public var sessionTicketLifetime: Duration?

    /// Creates a configuration. Defaults: TLS 1.3 minimum, client certificate required,
    /// no resumption.
    public init(
        certificateChainPath: String,
        privateKeyPath: String,
        trustRootsPath: String,
        applicationProtocols: [String] = [],
        minimumVersion: TLSVersion = .v1_3,
        requireClientCertificate: Bool = true,
        sessionTicketLifetime: Duration? = nil
    ) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.trustRootsPath = trustRootsPath
        self.applicationProtocols = applicationProtocols
        self.minimumVersion = minimumVersion
        self.requireClientCertificate = requireClientCertificate
        self.sessionTicketLifetime = sessionTicketLifetime
    }
}

/// What a client trusts when it verifies the server.
public enum TLSTrustRoots: Hashable, Sendable {
    /// The CA certificates in a PEM file.
    case file(path: String)
    /// Exactly the CA certificate whose DER has this SHA-256 fingerprint (hex, colons and
    /// case ignored), taken from the chain the server sends (enrollment pinning, as
    /// `kubeadm join` does). The server must send its CA certificate in its chain.
    case pinnedCertificateAuthority(fingerprintSHA256: String)
}

/// How a client (an agent) speaks TLS. A plain value: build it anywhere.
public struct TLSClientConfiguration: Hashable, Sendable {
    /// PEM certificate to present, if any.
    public var certificateChainPath: String?
    /// PEM private key for `certificateChainPath`; refused when group or world accessible.
    public var privateKeyPath: String?
    /// What the server certificate must chain to.
    public var trustRoots: TLSTrustRoots
    /// The name the server certificate must carry: a DNS name (also sent as SNI) or an IP
    /// address (checked against IP SANs, no SNI).
    public var serverName: String
    /// ALPN protocols to offer, most preferred first; empty offers none.
    public var applicationProtocols: [String]
    /// Lowest TLS version offered (TLS 1.3 by default).
    public var minimumVersion: TLSVersion
    /// Highest TLS version offered; nil means the highest OpenSSL supports.
    public var maximumVersion: TLSVersion?

    /// Creates a configuration trusting the CA(s) in the PEM file `trustRootsPath`.
    /// Defaults: no client certificate, TLS 1.3 minimum.
    public init(
        certificateChainPath: String? = nil,
        privateKeyPath: String? = nil,
        trustRootsPath: String,
        serverName: String,
        applicationProtocols: [String] = [],
        minimumVersion: TLSVersion = .v1_3,
        maximumVersion: TLSVersion? = nil
    ) {
        self.init(
            certificateChainPath: certificateChainPath, privateKeyPath: privateKeyPath,
            trustRoots: .file(path: trustRootsPath), serverName: serverName,
            applicationProtocols: applicationProtocols, minimumVersion: minimumVersion, maximumVersion: maximumVersion
        )
    }

    /// Creates a configuration. Defaults: no client certificate, TLS 1.3 minimum.
    public init(
        certificateChainPath: String? = nil,
        privateKeyPath: String? = nil,
        trustRoots: TLSTrustRoots,
        serverName: String,
        applicationProtocols: [String] = [],
        minimumVersion: TLSVersion = .v1_3,
        maximumVersion: TLSVersion? = nil
    ) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.trustRoots = trustRoots
        self.serverName = serverName
        self.applicationProtocols = applicationProtocols
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
    }
}
