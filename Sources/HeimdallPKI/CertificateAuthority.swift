internal import CHeimdallOpenSSL
import Foundation
import HeimdallTLS

/// Heimdall's certificate authority, two levels deep: a root (the trust anchor, `ca.pem`,
/// whose key stays offline) and an issuing intermediate that signs every leaf and CRL.
/// An instance holds the intermediate's key only. Immutable after creation; issuing is safe
/// from any thread. Methods that touch files block: call them off event loops.
public final class CertificateAuthority: Sendable {
    /// File names inside a CA directory.
    public enum FileName {
        /// Root private key (0600); needed only by `init` and `rotate-intermediate`.
        public static let rootKey = "root.key"
        /// Root certificate: the trust anchor of agents and hub.
        public static let caCertificate = "ca.pem"
        /// Issuing intermediate's private key (0600).
        public static let intermediateKey = "intermediate.key"
        /// Issuing intermediate's certificate.
        public static let intermediateCertificate = "intermediate.pem"
        /// The key of a one-level CA made before the hierarchy; `load` still accepts it.
        public static let caKey = "ca.key"
        /// Hub private key (0600).
        public static let hubKey = "hub.key"
        /// Hub certificate chain: hub certificate, intermediate, root.
        public static let hubCertificate = "hub.pem"
        /// Agent bundle: host private key (0600).
        public static let hostKey = "host.key"
        /// Agent bundle: host certificate followed by its intermediate.
        public static let hostCertificate = "host.pem"
    }

    /// The root certificate in PEM (what agents and the hub trust, `ca.pem`).
    public let certificatePEM: String
    /// The root certificate's facts (its fingerprint is what enrollment tokens pin).
    public let certificate: PeerCertificate
    /// The issuing intermediate in PEM (the root itself for a legacy one-level directory).
    public let intermediatePEM: String
    /// The issuing intermediate's facts.
    public let intermediate: PeerCertificate
    /// What follows a leaf in its chain: the intermediate, or nothing for a legacy CA.
    public let chainPEM: String

    /// The issuing key and certificate.
    let key: PrivateKey
    let handle: X509Handle

    init(key: PrivateKey, issuer: X509Handle, root: X509Handle) throws(PKIError) {
        self.key = key
        self.handle = issuer
        certificatePEM = root.pem
        intermediatePEM = issuer.pem
        chainPEM = issuer === root ? "" : intermediatePEM
        certificate = try Self.facts(certificatePEM, what: "root")
        intermediate = try Self.facts(intermediatePEM, what: "intermediate")
    }

    static func facts(_ pem: String, what: String) throws(PKIError) -> PeerCertificate {
        do {
            return try PeerCertificate(pem: pem)
        } catch {
            throw PKIError(code: .crypto, message: "cannot read back the \(what) certificate: \(error)")
        }
    }

    /// Loads the issuing CA of `directory`: `intermediate.key` (refused when group/world
    /// accessible), `intermediate.pem` (must be signed by the root) and `ca.pem`. The root
    /// key is not read, so it may be kept offline. A legacy directory (`ca.key`, no
    /// intermediate) loads as a one-level CA that signs with its root.
    public static func load(directory: String) throws(PKIError) -> CertificateAuthority {
        let paths = CAPaths(directory: directory)
        let root = try X509Handle.parse(pem: try PKIFiles.readText(paths.caCertificate))
        if !CAPaths.exists(paths.intermediateKey), CAPaths.exists(paths.legacyCAKey) {
            let key = try PrivateKey.load(path: paths.legacyCAKey)
            try requireMatch(key, root, keyPath: paths.legacyCAKey, certificatePath: paths.caCertificate)
            return try CertificateAuthority(key: key, issuer: root, root: root)
        }
        let key = try PrivateKey.load(path: paths.intermediateKey)
        let issuer = try X509Handle.parse(pem: try PKIFiles.readText(paths.intermediateCertificate))
        try requireMatch(key, issuer, keyPath: paths.intermediateKey, certificatePath: paths.intermediateCertificate)
        guard let rootKey = X509_get0_pubkey(root.pointer), X509_verify(issuer.pointer, rootKey) == 1 else {
            throw OpenSSLFailure.error("\(paths.intermediateCertificate) is not signed by the root \(paths.caCertificate)")
        }
        return try CertificateAuthority(key: key, issuer: issuer, root: root)
    }

    static func requireMatch(_ key: PrivateKey, _ cert: X509Handle, keyPath: String, certificatePath: String) throws(PKIError) {
        guard X509_check_private_key(cert.pointer, key.key) == 1 else {
            throw OpenSSLFailure.error("\(keyPath) does not match \(certificatePath)")
        }
    }

    /// Issues an agent certificate for `host` (validated and lowercased) with a new key.
    public func issueHostCertificate(host: String, days: Int = 365) throws(PKIError) -> IssuedCertificate {
        try issue(CertificateProfile.host(host, days: days))
    }

    /// Issues a hub certificate (see ``CertificateProfile/hub(names:days:now:)``).
    public func issueHubCertificate(names: [String], days: Int = 825) throws(PKIError) -> IssuedCertificate {
        try issue(CertificateProfile.hub(names: names, days: days))
    }

    /// Issues a leaf certificate signed by the intermediate exactly as `profile` says (names
    /// are not re-validated, so tests can make odd certificates; notAfter is cut at the
    /// intermediate's), for `key` or a newly generated P-256 key.
    public func issue(_ profile: CertificateProfile, key subjectKey: PrivateKey? = nil) throws(PKIError) -> IssuedCertificate {
        let subject: PrivateKey
        if let subjectKey {
            subject = subjectKey
        } else {
            subject = try PrivateKey.generateP256()
        }
        let pem = try signLeaf(profile, publicKey: subject.key)
        return IssuedCertificate(
            certificatePEM: pem, privateKey: subject, certificate: try Self.facts(pem, what: "issued"), chainPEM: pem + chainPEM
        )
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
        let pem = try signLeaf(profile, publicKey: publicKey)
        return SignedCertificate(certificatePEM: pem, certificate: try Self.facts(pem, what: "signed"), chainPEM: pem + chainPEM)
    }

    /// Writes an agent bundle: `host.key` (0600), `host.pem` (certificate + intermediate) and
    /// `ca.pem` (the root) in `directory` (created 0700 if missing). Existing files are replaced.
    public func writeBundle(_ issued: IssuedCertificate, to directory: String) throws(PKIError) {
        try PKIFiles.makeDirectory(directory)
        try issued.privateKey.write(to: directory + "/" + FileName.hostKey, overwrite: true)
        try PKIFiles.writePublic(issued.chainPEM, to: directory + "/" + FileName.hostCertificate)
        try PKIFiles.writePublic(certificatePEM, to: directory + "/" + FileName.caCertificate)
    }

    private func signLeaf(_ profile: CertificateProfile, publicKey: OpaquePointer) throws(PKIError) -> String {
        let cert = try CertificateBuilder.build(
            commonName: profile.commonName, subjectPublicKey: publicKey, issuer: handle, issuerKey: key,
            notBefore: profile.notBefore, notAfter: min(profile.notAfter, intermediate.notAfter),
            extensions: CAExtensions.leaf(profile)
        )
        return cert.pem
    }
}
