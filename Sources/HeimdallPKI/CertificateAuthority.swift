internal import CHeimdallOpenSSL
import Foundation
import HeimdallTLS

/// Heimdall's certificate authority: a P-256 key and a self-signed CA certificate.
/// Immutable after creation; issuing is safe from any thread. Methods that touch files
/// block: call them off event loops.
public final class CertificateAuthority: Sendable {
    /// File names inside a CA directory.
    public enum FileName {
        /// CA private key (0600).
        public static let caKey = "ca.key"
        /// CA certificate.
        public static let caCertificate = "ca.pem"
        /// Hub private key (0600).
        public static let hubKey = "hub.key"
        /// Hub certificate.
        public static let hubCertificate = "hub.pem"
        /// Agent bundle: host private key (0600).
        public static let hostKey = "host.key"
        /// Agent bundle: host certificate.
        public static let hostCertificate = "host.pem"
    }

    /// The CA certificate in PEM (what agents trust).
    public let certificatePEM: String
    /// The CA certificate's facts (its fingerprint is what enrollment tokens pin).
    public let certificate: PeerCertificate

    private let key: PrivateKey
    private let handle: X509Handle

    private init(key: PrivateKey, handle: X509Handle) throws(PKIError) {
        self.key = key
        self.handle = handle
        self.certificatePEM = handle.pem
        do {
            self.certificate = try PeerCertificate(pem: certificatePEM)
        } catch {
            throw PKIError(code: .crypto, message: "cannot read back the CA certificate: \(error)")
        }
    }

    /// A new CA held in memory only (tests use one as a *foreign* CA). Any thread.
    public static func create(caName: String = "Heimdall CA", days: Int = 3650, now: Date = Date()) throws(PKIError) -> CertificateAuthority {
        let key = try PrivateKey.generateP256()
        let handle = try CertificateBuilder.build(
            commonName: caName, subjectPublicKey: key.key, issuer: nil, issuerKey: key,
            notBefore: now - CertificateProfile.backdate, notAfter: now + TimeInterval(days) * 86_400,
            extensions: [
                .init(nid: NID_basic_constraints, value: "critical,CA:TRUE"),
                .init(nid: NID_key_usage, value: "critical,keyCertSign,cRLSign"),
                .init(nid: NID_subject_key_identifier, value: "hash"),
                .init(nid: NID_authority_key_identifier, value: "keyid:always"),
            ]
        )
        return try CertificateAuthority(key: key, handle: handle)
    }

    /// Creates `ca.key`, `ca.pem`, `hub.key` and `hub.pem` (the hub certificate followed by
    /// the CA certificate) in `directory` (created 0700 if missing). Refuses with `.alreadyInitialized` when `ca.pem` or `ca.key` exists.
    public static func initialize(
        directory: String,
        caName: String = "Heimdall CA",
        hubNames: [String] = [],
        days: Int = 3650
    ) throws(PKIError) -> CertificateAuthority {
        let paths = CAPaths(directory: directory)
        for existing in [paths.caKey, paths.caCertificate] where FileManager.default.fileExists(atPath: existing) {
            throw PKIError(code: .alreadyInitialized, message: "\(existing) already exists; refusing to overwrite an existing CA")
        }
        let hubProfile = try CertificateProfile.hub(names: hubNames)
        try PKIFiles.makeDirectory(directory)
        let authority = try create(caName: caName, days: days)
        let hub = try authority.issue(hubProfile)
        try authority.key.write(to: paths.caKey, overwrite: false)
        try PKIFiles.writePublic(authority.certificatePEM, to: paths.caCertificate)
        try hub.privateKey.write(to: paths.hubKey, overwrite: true)
        // The hub sends its CA too, so enrolling agents can pin it by fingerprint.
        try PKIFiles.writePublic(hub.certificatePEM + authority.certificatePEM, to: paths.hubCertificate)
        return authority
    }

    /// Loads `ca.key` (refused when group/world accessible) and `ca.pem` from `directory`.
    public static func load(directory: String) throws(PKIError) -> CertificateAuthority {
        let paths = CAPaths(directory: directory)
        let key = try PrivateKey.load(path: paths.caKey)
        let handle = try X509Handle.parse(pem: try PKIFiles.readText(paths.caCertificate))
        guard X509_check_private_key(handle.pointer, key.key) == 1 else {
            throw OpenSSLFailure.error("\(paths.caKey) does not match \(paths.caCertificate)")
        }
        return try CertificateAuthority(key: key, handle: handle)
    }

    /// Issues an agent certificate for `host` (validated and lowercased) with a new key.
    public func issueHostCertificate(host: String, days: Int = 365) throws(PKIError) -> IssuedCertificate {
        try issue(CertificateProfile.host(host, days: days))
    }

    /// Issues a hub certificate (see ``CertificateProfile/hub(names:days:now:)``).
    public func issueHubCertificate(names: [String], days: Int = 825) throws(PKIError) -> IssuedCertificate {
        try issue(CertificateProfile.hub(names: names, days: days))
    }

    /// Issues a leaf certificate exactly as `profile` says (names are not re-validated, so
    /// tests can make odd certificates), for `key` or a newly generated P-256 key.
    public func issue(_ profile: CertificateProfile, key subjectKey: PrivateKey? = nil) throws(PKIError) -> IssuedCertificate {
        let subject: PrivateKey
        if let subjectKey {
            subject = subjectKey
        } else {
            subject = try PrivateKey.generateP256()
        }
        let cert = try CertificateBuilder.build(
            commonName: profile.commonName, subjectPublicKey: subject.key, issuer: handle, issuerKey: key,
            notBefore: profile.notBefore, notAfter: profile.notAfter,
            extensions: Self.leafExtensions(profile)
        )
        let pem = cert.pem
        do {
            return IssuedCertificate(certificatePEM: pem, privateKey: subject, certificate: try PeerCertificate(pem: pem))
        } catch {
            throw PKIError(code: .crypto, message: "cannot read back the issued certificate: \(error)")
        }
    }

    /// Signs an enrollment request for `host`: the request must be well formed and
    /// self-signed with an ECDSA P-256+ or Ed25519 key (`.csrInvalid`), and its CN must equal
    /// the normalized `host` (`.nameMismatch`). The certificate gets the host profile.
    public func sign(requestPEM: String, host: String, days: Int = 365) throws(PKIError) -> SignedCertificate {
        let profile = try CertificateProfile.host(host, days: days)
        let request = try SigningRequest(pem: requestPEM)
        guard request.commonName?.lowercased() == profile.commonName, let publicKey = request.publicKey else {
            throw PKIError(
                code: .nameMismatch,
                message: "the request names \"\(request.commonName ?? "")\" but the token is for \"\(profile.commonName)\""
            )
        }
        let cert = try CertificateBuilder.build(
            commonName: profile.commonName, subjectPublicKey: publicKey, issuer: handle, issuerKey: key,
            notBefore: profile.notBefore, notAfter: profile.notAfter,
            extensions: Self.leafExtensions(profile)
        )
        let pem = cert.pem
        do {
            return SignedCertificate(certificatePEM: pem, certificate: try PeerCertificate(pem: pem))
        } catch {
            throw PKIError(code: .crypto, message: "cannot read back the signed certificate: \(error)")
        }
    }

    /// Writes an agent bundle: `host.key` (0600), `host.pem` and `ca.pem` in `directory`
    /// (created 0700 if missing). Existing bundle files are replaced.
    public func writeBundle(_ issued: IssuedCertificate, to directory: String) throws(PKIError) {
        try PKIFiles.makeDirectory(directory)
        try issued.privateKey.write(to: directory + "/" + FileName.hostKey, overwrite: true)
        try PKIFiles.writePublic(issued.certificatePEM, to: directory + "/" + FileName.hostCertificate)
        try PKIFiles.writePublic(certificatePEM, to: directory + "/" + FileName.caCertificate)
    }

    private static func leafExtensions(_ profile: CertificateProfile) -> [CertificateBuilder.Extension] {
        var extensions: [CertificateBuilder.Extension] = [
            .init(nid: NID_basic_constraints, value: "critical,CA:FALSE"),
            .init(nid: NID_key_usage, value: "critical,digitalSignature"),
        ]
        if !profile.extendedKeyUsages.isEmpty {
            extensions.append(.init(nid: NID_ext_key_usage, value: profile.extendedKeyUsages.map(\.rawValue).joined(separator: ",")))
        }
        let names = profile.dnsNames.map { "DNS:\($0)" } + profile.ipAddresses.map { "IP:\($0)" }
        if !names.isEmpty {
            extensions.append(.init(nid: NID_subject_alt_name, value: names.joined(separator: ",")))
        }
        extensions.append(.init(nid: NID_subject_key_identifier, value: "hash"))
        extensions.append(.init(nid: NID_authority_key_identifier, value: "keyid:always"))
        return extensions
    }
}

/// The standard file paths of a CA directory.
struct CAPaths {
    let caKey: String
    let caCertificate: String
    let hubKey: String
    let hubCertificate: String

    init(directory: String) {
        caKey = directory + "/" + CertificateAuthority.FileName.caKey
        caCertificate = directory + "/" + CertificateAuthority.FileName.caCertificate
        hubKey = directory + "/" + CertificateAuthority.FileName.hubKey
        hubCertificate = directory + "/" + CertificateAuthority.FileName.hubCertificate
    }
}
