internal import CHeimdallOpenSSL

/// A new P-256 key with a certificate signing request for it: what an agent sends when
/// it enrolls. The key never leaves the host. Any thread (CPU only, no I/O).
public struct CertificateRequest: Sendable {
    /// The new private key, PKCS#8 PEM. Secret: write it with mode 0600.
    public let privateKeyPEM: String
    /// The PKCS#10 request in PEM ("BEGIN CERTIFICATE REQUEST").
    public let requestPEM: String

    /// Generates an ECDSA P-256 key and a SHA-256-signed request with subject CN=`commonName`.
    public static func generate(commonName: String) throws(TLSError) -> CertificateRequest {
        guard let key = heimdall_generate_p256_key() else {
            throw OpenSSLErrorStack.configurationError("cannot generate a P-256 key")
        }
        defer { EVP_PKEY_free(key) }
        guard let request = X509_REQ_new() else {
            throw OpenSSLErrorStack.configurationError("cannot allocate a certificate request")
        }
        defer { X509_REQ_free(request) }
        guard let name = X509_NAME_new() else {
            throw OpenSSLErrorStack.configurationError("cannot allocate a name")
        }
        defer { X509_NAME_free(name) }
        guard X509_REQ_set_version(request, 0) == 1,
              heimdall_x509_name_add_common_name(name, commonName) == 1,
              X509_REQ_set_subject_name(request, name) == 1,
              X509_REQ_set_pubkey(request, key) == 1,
              X509_REQ_sign(request, key, EVP_sha256()) > 0
        else {
            throw OpenSSLErrorStack.configurationError("cannot build the certificate request")
        }
        return CertificateRequest(privateKeyPEM: try pem(key: key), requestPEM: try pem(request: request))
    }

    private static func pem(key: OpaquePointer) throws(TLSError) -> String {
        let text = MemoryBIO.written { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) == 1 }
        guard !text.isEmpty else { throw OpenSSLErrorStack.configurationError("cannot encode the private key") }
        return text
    }

    private static func pem(request: OpaquePointer) throws(TLSError) -> String {
        let text = MemoryBIO.written { PEM_write_bio_X509_REQ($0, request) == 1 }
        guard !text.isEmpty else { throw OpenSSLErrorStack.configurationError("cannot encode the certificate request") }
        return text
    }
}
