internal import CHeimdallOpenSSL
import Foundation
import HeimdallTLS

/// An `X509*` with exactly one owner, freed with it. Immutable once signed.
final class X509Handle: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        X509_free(pointer)
    }

    /// Parses the first certificate in `pem`.
    static func parse(pem: String) throws(PKIError) -> X509Handle {
        guard let cert = MemoryBIO.reading(pem, { PEM_read_bio_X509($0, nil, nil, nil) }) else {
            throw OpenSSLFailure.error("not a PEM certificate")
        }
        return X509Handle(taking: cert)
    }

    /// PEM encoding.
    var pem: String {
        X509Reader.pem(of: pointer)
    }
}

/// Assembles and signs X.509 v3 certificates: SHA-256 signatures, 128-bit random serials.
/// Any thread (each call builds its own certificate).
enum CertificateBuilder {
    /// One extension in openssl.cnf syntax.
    struct Extension {
        let nid: Int32
        let value: String
    }

    /// Builds a certificate for the public half of `subjectPublicKey` (an `EVP_PKEY*`), signed by `issuerKey`. `issuer` nil means
    /// self-signed (the subject is its own issuer).
    static func build(
        commonName: String,
        subjectPublicKey: OpaquePointer,
        issuer: X509Handle?,
        issuerKey: PrivateKey,
        notBefore: Date,
        notAfter: Date,
        extensions: [Extension]
    ) throws(PKIError) -> X509Handle {
        guard notAfter > notBefore else {
            throw PKIError(code: .invalidProfile, message: "notAfter must be later than notBefore")
        }
        guard let raw = X509_new() else { throw OpenSSLFailure.error("cannot allocate a certificate") }
        let cert = X509Handle(taking: raw)
        guard X509_set_version(raw, 2) == 1 else { throw OpenSSLFailure.error("cannot set the version") }
        try setRandomSerial(raw)
        guard ASN1_TIME_set(X509_getm_notBefore(raw), time_t(notBefore.timeIntervalSince1970)) != nil,
              ASN1_TIME_set(X509_getm_notAfter(raw), time_t(notAfter.timeIntervalSince1970)) != nil
        else { throw OpenSSLFailure.error("cannot set the validity window") }
        try setSubject(raw, commonName: commonName)
        let issuerName = issuer.map { X509_get_subject_name($0.pointer) } ?? X509_get_subject_name(raw)
        guard X509_set_issuer_name(raw, issuerName) == 1, X509_set_pubkey(raw, subjectPublicKey) == 1 else {
            throw OpenSSLFailure.error("cannot set the issuer or public key")
        }
        for item in extensions {
            guard heimdall_x509_add_extension(raw, issuer?.pointer ?? raw, item.nid, item.value) == 1 else {
                throw OpenSSLFailure.error("cannot add extension \(item.value)")
            }
        }
        guard X509_sign(raw, issuerKey.key, EVP_sha256()) > 0 else {
            throw OpenSSLFailure.error("cannot sign the certificate")
        }
        return cert
    }

    private static func setRandomSerial(_ cert: OpaquePointer) throws(PKIError) {
        guard let number = BN_new() else { throw OpenSSLFailure.error("cannot allocate a serial") }
        defer { BN_free(number) }
        // Exactly 128 random bits with the top bit set: positive, always 16 bytes long.
        guard BN_rand(number, 128, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) == 1,
              let serial = BN_to_ASN1_INTEGER(number, nil)
        else { throw OpenSSLFailure.error("cannot draw a random serial") }
        defer { ASN1_INTEGER_free(serial) }
        guard X509_set_serialNumber(cert, serial) == 1 else { throw OpenSSLFailure.error("cannot set the serial") }
    }

    private static func setSubject(_ cert: OpaquePointer, commonName: String) throws(PKIError) {
        guard let name = X509_NAME_new() else { throw OpenSSLFailure.error("cannot allocate a name") }
        defer { X509_NAME_free(name) }
        guard heimdall_x509_name_add_common_name(name, commonName) == 1, X509_set_subject_name(cert, name) == 1 else {
            throw OpenSSLFailure.error("cannot set the subject CN \(commonName)")
        }
    }
}
