internal import CHeimdallOpenSSL
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The facts Heimdall uses from an X.509 certificate, copied out of OpenSSL.
/// An immutable value: any thread may use it.
public struct PeerCertificate: Hashable, Sendable {
    /// Subject common name (for a host certificate, the host name).
    public let commonName: String?
    /// DNS subject alternative names.
    public let dnsNames: [String]
    /// IP subject alternative names, in textual form.
    public let ipAddresses: [String]
    /// Serial as UPPERCASE hex without colons, as `openssl x509 -serial` prints it.
    public let serialNumber: String
    /// SHA-256 of the DER encoding, lowercase hex without colons.
    public let fingerprintSHA256: String
    /// Start of the validity window.
    public let notBefore: Date
    /// End of the validity window.
    public let notAfter: Date
    /// Issuer common name.
    public let issuerCommonName: String?
    /// True when the extended key usage extension exists and lists clientAuth.
    public let hasClientAuthUsage: Bool
    /// DER encoding.
    public let der: [UInt8]
    /// PEM encoding.
    public let pem: String

    /// Parses one PEM certificate (the first one in `pem`). Any thread.
    public init(pem: String) throws(TLSError) {
        let cert = MemoryBIO.reading(pem) { PEM_read_bio_X509($0, nil, nil, nil) }
        guard let cert else {
            throw OpenSSLErrorStack.configurationError("not a PEM certificate")
        }
        defer { X509_free(cert) }
        self.init(borrowing: cert)
    }

    /// Parses a DER certificate. Any thread.
    public init(der: [UInt8]) throws(TLSError) {
        let cert: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let cert else {
            throw OpenSSLErrorStack.configurationError("not a DER certificate")
        }
        defer { X509_free(cert) }
        self.init(borrowing: cert)
    }

    /// Reads the first certificate of a PEM file. Blocking: not on an event loop.
    public static func load(path: String) throws(TLSError) -> PeerCertificate {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TLSError(code: .invalidConfiguration, message: "cannot read certificate file \(path)")
        }
        return try PeerCertificate(pem: String(decoding: data, as: UTF8.self))
    }

    /// Copies the facts out of `cert`, which stays owned by the caller.
    init(borrowing cert: OpaquePointer) {
        commonName = X509Reader.commonName(of: X509_get_subject_name(cert))
        issuerCommonName = X509Reader.commonName(of: X509_get_issuer_name(cert))
        (dnsNames, ipAddresses) = X509Reader.alternativeNames(of: cert)
        serialNumber = X509Reader.serialHex(of: cert)
        der = X509Reader.der(of: cert)
        fingerprintSHA256 = SHA256Digest.hex(der)
        pem = X509Reader.pem(of: cert)
        notBefore = X509Reader.date(X509_get0_notBefore(cert))
        notAfter = X509Reader.date(X509_get0_notAfter(cert))
        hasClientAuthUsage = X509Reader.hasClientAuthUsage(cert)
    }
}
