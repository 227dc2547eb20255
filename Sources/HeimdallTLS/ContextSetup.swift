internal import CHeimdallOpenSSL
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Steps shared by server and client contexts. Blocking (file reads): not on an event loop.
enum ContextSetup {
    /// TLS 1.2 cipher suites: ECDHE key exchange with AEAD only.
    static let tls12Ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20"

    /// Version bounds, secure options, cipher list and SSL_MODE_RELEASE_BUFFERS.
    static func common(_ context: OpaquePointer, minimumVersion: TLSVersion, maximumVersion: TLSVersion?) throws(TLSError) {
        guard heimdall_SSL_CTX_set_min_proto_version(context, minimumVersion.openSSLValue) == 1 else {
            throw OpenSSLErrorStack.configurationError("cannot set the minimum TLS version")
        }
        if let maximumVersion {
            guard heimdall_SSL_CTX_set_max_proto_version(context, maximumVersion.openSSLValue) == 1 else {
                throw OpenSSLErrorStack.configurationError("cannot set the maximum TLS version")
            }
        }
        _ = heimdall_SSL_CTX_set_options(context, heimdall_SSL_OP_SECURE_DEFAULTS())
        _ = heimdall_SSL_CTX_set_mode(context, heimdall_SSL_MODE_RELEASE_BUFFERS())
        guard SSL_CTX_set_cipher_list(context, tls12Ciphers) == 1 else {
            throw OpenSSLErrorStack.configurationError("cannot set the TLS 1.2 cipher list")
        }
    }

    /// Our certificate chain and private key, checked to match.
    static func identity(_ context: OpaquePointer, chain: String, key: String) throws(TLSError) {
        guard SSL_CTX_use_certificate_chain_file(context, chain) == 1 else {
            throw OpenSSLErrorStack.configurationError("cannot load certificate chain \(chain)")
        }
        guard SSL_CTX_use_PrivateKey_file(context, key, SSL_FILETYPE_PEM) == 1 else {
            throw OpenSSLErrorStack.configurationError("cannot load private key \(key)")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw OpenSSLErrorStack.configurationError("private key \(key) does not match certificate \(chain)")
        }
    }

    /// The CA file peers must chain to; a server also advertises its names to clients.
    static func trustRoots(_ context: OpaquePointer, path: String, advertise: Bool) throws(TLSError) {
        guard SSL_CTX_load_verify_locations(context, path, nil) == 1 else {
            throw OpenSSLErrorStack.configurationError("cannot load trust roots \(path)")
        }
        if advertise, let names = SSL_load_client_CA_file(path) {
            SSL_CTX_set_client_CA_list(context, names)
        }
    }

    /// Stateless TLS 1.3 tickets valid for `lifetime`, bound (session id context) to the
    /// trust roots' content and the ALPN list, so a hub whose CA changed resumes no older
    /// session. Tickets whose certificate fails ``ClientCertificateCheck`` are ignored (a
    /// full handshake follows and refuses it as usual).
    static func sessionTickets(_ context: OpaquePointer, lifetime: Duration, trustRootsPath: String, alpn: [UInt8]) throws(TLSError) {
        guard let roots = FileManager.default.contents(atPath: trustRootsPath) else {
            throw TLSError(code: .invalidConfiguration, message: "cannot read trust roots \(trustRootsPath)")
        }
        let sessionContext = SHA256Digest.hash(Array(roots) + alpn)
        let seconds = max(1, lifetime.components.seconds)
        let ok = sessionContext.withUnsafeBufferPointer {
            heimdall_SSL_CTX_enable_tickets(context, Int(seconds), $0.baseAddress, UInt32($0.count))
        }
        guard ok == 1, SSL_CTX_set_session_ticket_cb(context, nil, ticketDecryptCallback, nil) == 1 else {
            throw OpenSSLErrorStack.configurationError("cannot enable session tickets")
        }
    }

    /// Makes verification require `name` (a DNS name or an IP address) in the server's SANs.
    static func expectedServerName(_ context: OpaquePointer, name: String, isIP: Bool) throws(TLSError) {
        guard !name.isEmpty, let parameters = SSL_CTX_get0_param(context) else {
            throw TLSError(code: .invalidConfiguration, message: "the expected server name is empty")
        }
        let ok = isIP ? X509_VERIFY_PARAM_set1_ip_asc(parameters, name) : X509_VERIFY_PARAM_set1_host(parameters, name, 0)
        guard ok == 1 else {
            throw OpenSSLErrorStack.configurationError("invalid expected server name \(name)")
        }
        if !isIP {
            X509_VERIFY_PARAM_set_hostflags(parameters, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
        }
    }
}

extension TLSVersion {
    /// OpenSSL's protocol version constant.
    var openSSLValue: Int32 {
        switch self {
        case .v1_2: return TLS1_2_VERSION
        case .v1_3: return TLS1_3_VERSION
        }
    }
}

/// ALPN protocol lists in wire format (length-prefixed names).
enum ALPNWireFormat {
    /// Encodes `protocols`; each name must be 1...255 bytes.
    static func encode(_ protocols: [String]) throws(TLSError) -> [UInt8] {
        var wire: [UInt8] = []
        for name in protocols {
            let bytes = Array(name.utf8)
            guard (1 ... 255).contains(bytes.count) else {
                throw TLSError(code: .invalidConfiguration, message: "ALPN protocol names must be 1 to 255 bytes")
            }
            wire.append(UInt8(bytes.count))
            wire.append(contentsOf: bytes)
        }
        return wire
    }
}

/// Recognizes textual IPv4 and IPv6 addresses; shared with HeimdallPKI. Any thread.
package enum IPAddressText {
    /// True when `text` parses as an IPv4 or IPv6 address.
    package static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
