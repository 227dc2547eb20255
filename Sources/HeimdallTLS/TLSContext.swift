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

    let context: OpaquePointer
    private let serverNameIndication: String?
    private let verifyPolicy: Unmanaged<ServerVerifyPolicy>?

    private init(
        role: Role,
        context: OpaquePointer,
        serverNameIndication: String?,
        revocationList: RevocationList,
        verifyPolicy: Unmanaged<ServerVerifyPolicy>?
    ) {
        self.role = role
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
    /// `revocationList` refused), ALPN enforced, TLS 1.3 minimum unless configured.
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
        let policy = Unmanaged.passRetained(ServerVerifyPolicy(revocationList: revocationList))
        let result = TLSContext(
            role: .server, context: context, serverNameIndication: nil,
            revocationList: revocationList, verifyPolicy: policy
        )
        try ContextSetup.common(context, minimumVersion: configuration.minimumVersion, maximumVersion: nil)
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
        let result = TLSContext(
            role: .client, context: context,
            serverNameIndication: isIP ? nil : configuration.serverName,
            revocationList: RevocationList(), verifyPolicy: nil
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
        try ContextSetup.trustRoots(context, path: configuration.trustRootsPath, advertise: false)
        try ContextSetup.expectedServerName(context, name: configuration.serverName, isIP: isIP)
        if !wire.isEmpty {
            // SSL_CTX_set_alpn_protos returns 0 on success.
            let status = wire.withUnsafeBufferPointer { SSL_CTX_set_alpn_protos(context, $0.baseAddress, UInt32($0.count)) }
            guard status == 0 else { throw OpenSSLErrorStack.configurationError("cannot set ALPN protocols") }
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        return result
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

/// What the server verify callback consults; retained by its ``TLSContext``.
final class ServerVerifyPolicy: Sendable {
    let revocationList: RevocationList
    init(revocationList: RevocationList) { self.revocationList = revocationList }
}

/// Runs for every certificate of a client's chain (on the connection's thread). At the
/// leaf (depth 0) it refuses certificates without the clientAuth EKU and revoked serials.
private let serverVerifyCallback: @convention(c) (Int32, OpaquePointer?) -> Int32 = { preverify, store in
    guard preverify == 1, let store else { return 0 }
    guard X509_STORE_CTX_get_error_depth(store) == 0, let cert = X509_STORE_CTX_get_current_cert(store) else {
        return preverify
    }
    guard X509Reader.hasClientAuthUsage(cert) else {
        X509_STORE_CTX_set_error(store, X509_V_ERR_INVALID_PURPOSE)
        return 0
    }
    if let ssl = heimdall_ssl_from_store_context(store),
       let context = SSL_get_SSL_CTX(ssl),
       let raw = SSL_CTX_get_ex_data(context, heimdall_SSL_CTX_ex_data_index()) {
        let policy = Unmanaged<ServerVerifyPolicy>.fromOpaque(raw).takeUnretainedValue()
        if policy.revocationList.contains(X509Reader.serialHex(of: cert)) {
            X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REVOKED)
            return 0
        }
    }
    return 1
}
