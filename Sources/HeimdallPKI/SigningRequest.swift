internal import CHeimdallOpenSSL
import HeimdallTLS

/// A PKCS#10 request that passed Heimdall's checks: well formed, self-signature valid,
/// key ECDSA P-256 or stronger (or Ed25519). Owns its `X509_REQ*`. Any thread.
final class SigningRequest: @unchecked Sendable {
    let request: OpaquePointer
    /// The requested subject CN.
    let commonName: String?

    /// Parses and checks `pem`; throws `.csrInvalid`.
    init(pem: String) throws(PKIError) {
        guard let request = MemoryBIO.reading(pem, { PEM_read_bio_X509_REQ($0, nil, nil, nil) }) else {
            throw PKIError(code: .csrInvalid, message: "not a PEM certificate signing request")
        }
        self.request = request
        guard let key = X509_REQ_get0_pubkey(request), X509_REQ_verify(request, key) == 1 else {
            ERR_clear_error()
            throw PKIError(code: .csrInvalid, message: "the request's signature does not verify")
        }
        guard Self.isAcceptable(key: key) else {
            throw PKIError(code: .csrInvalid, message: "the request's key must be ECDSA P-256 or stronger, or Ed25519")
        }
        commonName = X509Reader.commonName(of: X509_REQ_get_subject_name(request))
    }

    deinit {
        X509_REQ_free(request)
    }

    /// The request's public key (borrowed).
    var publicKey: OpaquePointer? { X509_REQ_get0_pubkey(request) }

    private static func isAcceptable(key: OpaquePointer) -> Bool {
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_ED25519:
            return true
        case EVP_PKEY_EC:
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_group_name(key, &name, name.count, &length) == 1 else { return false }
            let curve = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return ["prime256v1", "P-256", "secp384r1", "P-384", "secp521r1", "P-521"].contains(curve)
        default:
            return false
        }
    }
}
