internal import CHeimdallOpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// An OpenSSL `SSL_CTX` configured for Heimdall, as server or client.
///
/// Immutable after creation and safe to share: OpenSSL allows `SSL_new` on a configured
/// context from any thread, and the revocation list is lock-protected. Creating one reads
/// files (blocking): do it at start-up, not on an event loop. Each connection's
/// ``TLSHandler`` holds a strong reference, so the context outlives its connections.
public final class TLSContext: @unchecked Sendable {
    /// Which side of the handshake connections made from this context play.
    public enum Role: Sendable, Hashable {
        /// Accepts connections (the hub).
        case server
        /// Opens connections (an agent).
        case client
    }

    /// The side connections from this context play.
    public let role: Role
    /// Serials refused during the handshake (server contexts; empty for clients).
    public let revocationList: RevocationList
    /// True for a server context that issues and accepts session tickets.
    public let issuesSessionTickets: Bool

    let context: OpaquePointer
    /// True for a server context requiring client certificates: after every handshake,
    /// full or resumed, the peer's leaf must pass ``ClientCertificateCheck``.
    let checksClientCertificates: Bool
    private let serverNameIndication: String?
    private let verifyPolicy: Unmanaged<VerifyPolicy>?

    private init(
        role: Role,
        context: OpaquePointer,
        serverNameIndication: String?,
        revocationList: RevocationList,
        verifyPolicy: Unmanaged<VerifyPolicy>?,
        checksClientCertificates: Bool = false,
        issuesSessionTickets: Bool = false
    ) {
        self.role = role
        self.checksClientCertificates = checksClientCertificates
        self.issuesSessionTickets = issuesSessionTickets
        self.context = context
        self.serverNameIndication = serverNameIndication
        self.revocationList = revocationList
        self.verifyPolicy = verifyPolicy
    }

    deinit {
        SSL_CTX_free(context)
        verifyPolicy?.release()
    }

    /// A server context: our certificate and key, client certificates verified against
    /// `trustRootsPath` (required by default, clientAuth EKU required, serials in
    /// `revocationList` refused), ALPN enforced, TLS 1.3 minimum unless configured. Session
    /// resumption is off unless `sessionTicketLifetime` is set; then tickets are issued once
    /// keys are installed (``installTicketKeys(_:)``), and a resumed handshake is held to the
    /// same certificate checks (revocation, validity, clientAuth) before it is accepted.
    /// Blocking (reads files). Throws `.insecureKeyPermissions` for a group/world readable key.
    public static func server(
        _ configuration: TLSServerConfiguration,
        revocationList: RevocationList = RevocationList()
    ) throws(TLSError) -> TLSContext {
        try KeyFilePermissions.check(configuration.privateKeyPath)
        let wire = try ALPNWireFormat.encode(configuration.applicationProtocols)
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw OpenSSLErrorStack.configurationError("cannot create an SSL_CTX")
        }
        let policy = Unmanaged.passRetained(VerifyPolicy(revocationList: revocationList))
        let result = TLSContext(
            role: .server, context: context, serverNameIndication: nil,
            revocationList: revocationList, verifyPolicy: policy,
            checksClientCertificates: configuration.requireClientCertificate,
            issuesSessionTickets: configuration.sessionTicketLifetime != nil
        )
        try ContextSetup.common(context, minimumVersion: configuration.minimumVersion, maximumVersion: nil)
        if let lifetime = configuration.sessionTicketLifetime {
            try ContextSetup.sessionTickets(context, lifetime: lifetime, trustRootsPath: configuration.trustRootsPath, alpn: wire)
        } else {
            heimdall_SSL_CTX_disable_resumption(context)
        }
        try ContextSetup.identity(context, chain: configuration.certificateChainPath, key: configuration.privateKeyPath)
        try ContextSetup.trustRoots(context, path: configuration.trustRootsPath, advertise: true)
        if !wire.isEmpty {
            wire.withUnsafeBufferPointer { heimdall_SSL_CTX_set_alpn_server(context, $0.baseAddress, UInt32($0.count)) }
        }
        SSL_CTX_set_ex_data(context, heimdall_SSL_CTX_ex_data_index(), policy.toOpaque())
        if configuration.requireClientCertificate {
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, serverVerifyCallback)
        } else {
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        }
        return result
    }

    /// A client context: the server must present a certificate chaining to
    /// `trustRootsPath` and naming `serverName`; our certificate is presented when
    /// configured. Blocking (reads files).
    public static func client(_ configuration: TLSClientConfiguration) throws(TLSError) -> TLSContext {
        let wire = try ALPNWireFormat.encode(configuration.applicationProtocols)
        let isIP = IPAddressText.isIPAddress(configuration.serverName)
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw OpenSSLErrorStack.configurationError("cannot create an SSL_CTX")
        }
        var pin: String?
        if case .pinnedCertificateAuthority(let fingerprint) = configuration.trustRoots {
            pin = fingerprint.lowercased().filter { $0 != ":" }
        }
        let policy = pin.map { Unmanaged.passRetained(VerifyPolicy(revocationList: RevocationList(), pinnedFingerprint: $0)) }
        let result = TLSContext(
            role: .client, context: context,
            serverNameIndication: isIP ? nil : configuration.serverName,
            revocationList: RevocationList(), verifyPolicy: policy
        )
        try ContextSetup.common(
            context, minimumVersion: configuration.minimumVersion, maximumVersion: configuration.maximumVersion
        )
        switch (configuration.certificateChainPath, configuration.privateKeyPath) {
        case let (chain?, key?):
            try KeyFilePermissions.check(key)
            try ContextSetup.identity(context, chain: chain, key: key)
        case (nil, nil):
            break
        default:
            throw TLSError(code: .invalidConfiguration, message: "a client certificate needs both a chain and a key path")
        }
        switch configuration.trustRoots {
        case .file(let path):
            try ContextSetup.trustRoots(context, path: path, advertise: false)
        case .pinnedCertificateAuthority:
            SSL_CTX_set_cert_verify_callback(context, pinnedChainVerifier, policy?.toOpaque())
        }
        try ContextSetup.expectedServerName(context, name: configuration.serverName, isIP: isIP)
        if !wire.isEmpty {
            // SSL_CTX_set_alpn_protos returns 0 on success.
            let status = wire.withUnsafeBufferPointer { SSL_CTX_set_alpn_protos(context, $0.baseAddress, UInt32($0.count)) }
            guard status == 0 else { throw OpenSSLErrorStack.configurationError("cannot set ALPN protocols") }
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        heimdall_SSL_CTX_enable_client_sessions(context, clientNewSessionCallback)
        return result
    }

    /// Replaces the keys that encrypt (the newest) and decrypt (all) session tickets. Any
    /// thread, at any time: handshakes in progress use either the old or the new set.
    /// Throws `.invalidConfiguration` on a context without tickets or with too many keys.
    public func installTicketKeys(_ keyring: SessionTicketKeyring) throws(TLSError) {
        guard issuesSessionTickets else {
            throw TLSError(code: .invalidConfiguration, message: "this context does not issue session tickets")
        }
        let material = keyring.keys.flatMap(\.material)
        let ok = material.withUnsafeBufferPointer { heimdall_SSL_CTX_set_ticket_keys(context, $0.baseAddress, keyring.keys.count) }
        guard ok == 1 else {
            throw TLSError(code: .invalidConfiguration, message: "cannot install \(keyring.keys.count) ticket keys")
        }
    }

    /// A new `SSL*` for one connection, owned by the caller. Any thread.
    func makeConnection() -> OpaquePointer? {
        guard let ssl = SSL_new(context) else { return nil }
        if let name = serverNameIndication, heimdall_SSL_set_tlsext_host_name(ssl, name) != 1 {
            SSL_free(ssl)
            return nil
        }
        return ssl
    }
}

/// What the verify callbacks consult; retained by its ``TLSContext``.
final class VerifyPolicy: Sendable {
    let revocationList: RevocationList
    let pinnedFingerprint: String?

    init(revocationList: RevocationList, pinnedFingerprint: String? = nil) {
        self.revocationList = revocationList
        self.pinnedFingerprint = pinnedFingerprint
    }
}

/// Client chain verification with a pinned CA: the certificate of the server's chain whose
/// SHA-256 matches the pin becomes the only trust anchor, then OpenSSL verifies as usual
/// (signatures, validity, purpose, expected host name).
private let pinnedChainVerifier: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Int32 = { store, argument in
    guard let store, let argument else { return 0 }
    let policy = Unmanaged<VerifyPolicy>.fromOpaque(argument).takeUnretainedValue()
    guard let pin = policy.pinnedFingerprint, let chain = X509_STORE_CTX_get0_untrusted(store) else { return 0 }
    var anchor: OpaquePointer?
    for index in 0 ..< heimdall_sk_X509_num(chain) {
        if let cert = heimdall_sk_X509_value(chain, index), SHA256Digest.hex(X509Reader.der(of: cert)) == pin {
            anchor = cert
        }
    }
    guard let anchor, let trusted = heimdall_sk_X509_new_null() else {
        X509_STORE_CTX_set_error(store, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY)
        return 0
    }
    defer { heimdall_sk_X509_free(trusted) }  // The certificates stay owned by the chain.
    _ = heimdall_sk_X509_push(trusted, anchor)
    X509_STORE_CTX_set0_trusted_stack(store, trusted)
    return X509_verify_cert(store) == 1 ? 1 : 0
}

/// Runs for every certificate of a client's chain (on the connection's thread). At the
/// leaf (depth 0) it applies ``ClientCertificateCheck`` (clientAuth EKU, validity, revocation).
private let serverVerifyCallback: @convention(c) (Int32, OpaquePointer?) -> Int32 = { preverify, store in
    guard preverify == 1, let store else { return 0 }
    guard X509_STORE_CTX_get_error_depth(store) == 0, let cert = X509_STORE_CTX_get_current_cert(store) else {
        return preverify
    }
    let revocations = heimdall_ssl_from_store_context(store).flatMap(VerifyPolicy.of)?.revocationList ?? RevocationList()
    let error = ClientCertificateCheck.verifyError(cert, revocations: revocations)
    guard error == X509_V_OK else {
        X509_STORE_CTX_set_error(store, error)
        return 0
    }
    return 1
}
