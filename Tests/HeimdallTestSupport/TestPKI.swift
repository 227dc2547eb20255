import Foundation
import HeimdallPKI
import HeimdallTLS

/// A fresh PKI in its own temporary directory: a root CA, its issuing intermediate and the
/// hub certificate (`CertificateAuthority.initialize`), plus helpers
/// that write host bundles, deliberately bad certificates and foreign-CA certificates.
/// Blocking (file I/O, key generation): call from test code, not from an event loop.
public final class TestPKI: Sendable {
    /// Files of one agent bundle written by ``TestPKI``.
    public struct Bundle: Sendable {
        /// The bundle directory.
        public let directory: String
        /// `host.key` (mode 0600).
        public let keyPath: String
        /// `host.pem`: the certificate followed by its intermediate.
        public let certificatePath: String
        /// `ca.pem`: always the fixture's own CA, so the client trusts the test hub.
        public let caPath: String
        /// The certificate and key that were written.
        public let issued: IssuedCertificate
    }

    /// The temporary root; everything the fixture writes lives below it.
    public let root: String
    /// The CA directory (`root.key`, `ca.pem`, `intermediate.key`, `intermediate.pem`,
    /// `hub.key`, `hub.pem`).
    public let caDirectory: String
    /// The fixture's CA.
    public let authority: CertificateAuthority

    /// `ca.pem`: the fixture's root certificate.
    public var caPath: String { caDirectory + "/ca.pem" }
    /// `intermediate.pem`: the fixture's issuing intermediate.
    public var intermediatePath: String { caDirectory + "/intermediate.pem" }
    /// `root.key` (mode 0600), kept *outside* the CA directory as an operator keeps it
    /// offline: everything but ``rotateIntermediate(days:)`` runs without it.
    public var rootKeyPath: String { root + "/offline/root.key" }
    /// `hub.pem`: hub certificate (serverAuth; SANs localhost, 127.0.0.1 and the hub
    /// names), intermediate, root.
    public var hubCertificatePath: String { caDirectory + "/hub.pem" }
    /// `hub.key` (mode 0600).
    public var hubKeyPath: String { caDirectory + "/hub.key" }

    /// Creates the temporary root and initializes a CA with `hubNames` in it.
    public init(hubNames: [String] = ["hub.heimdall.test"]) throws {
        root = FileManager.default.temporaryDirectory.path + "/heimdall-pki-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        caDirectory = root + "/ca"
        authority = try CertificateAuthority.initialize(directory: caDirectory, caName: "Heimdall Test CA", hubNames: hubNames)
        try FileManager.default.createDirectory(atPath: root + "/offline", withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        try FileManager.default.moveItem(atPath: caDirectory + "/root.key", toPath: rootKeyPath)
    }

    /// Signs a new issuing intermediate with the offline root key and returns the CA that
    /// now issues (``authority`` keeps the old intermediate in memory).
    public func rotateIntermediate(days: Int = 365) throws -> CertificateAuthority {
        try CertificateAuthority.rotateIntermediate(directory: caDirectory, rootKeyPath: rootKeyPath, days: days)
    }

    /// Removes the temporary root.
    public func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A valid agent bundle for `host`.
    public func hostBundle(_ host: String, days: Int = 30) throws -> Bundle {
        try bundle(authority.issueHostCertificate(host: host, days: days), name: host)
    }

    /// Writes `issued` as a bundle named `name` (its chain, with the fixture's `ca.pem`).
    public func bundle(_ issued: IssuedCertificate, name: String) throws -> Bundle {
        let directory = root + "/bundles/" + name + "-" + UUID().uuidString.prefix(8).lowercased()
        try authority.writeBundle(issued, to: directory)
        return Bundle(
            directory: directory, keyPath: directory + "/host.key",
            certificatePath: directory + "/host.pem", caPath: directory + "/ca.pem", issued: issued
        )
    }

    /// A client certificate whose validity ended yesterday.
    public func expiredBundle(_ host: String) throws -> Bundle {
        try bundle(issueClient(host, notBefore: Date() - 10 * 86_400, notAfter: Date() - 86_400), name: host)
    }

    /// A client certificate valid only from tomorrow.
    public func notYetValidBundle(_ host: String) throws -> Bundle {
        try bundle(issueClient(host, notBefore: Date() + 86_400, notAfter: Date() + 10 * 86_400), name: host)
    }

    /// A client certificate without any extended key usage extension.
    public func noEKUBundle(_ host: String) throws -> Bundle {
        try bundle(issueClient(host, usages: []), name: host)
    }

    /// A certificate with the serverAuth extended key usage only.
    public func serverAuthOnlyBundle(_ host: String) throws -> Bundle {
        try bundle(issueClient(host, usages: [.serverAuth]), name: host)
    }

    /// A valid-looking host certificate signed by a freshly made foreign CA.
    public func foreignBundle(_ host: String) throws -> Bundle {
        let foreign = try CertificateAuthority.create(caName: "Foreign CA")
        return try bundle(foreign.issueHostCertificate(host: host), name: host)
    }

    private func issueClient(
        _ host: String,
        usages: [CertificateProfile.ExtendedKeyUsage] = [.clientAuth],
        notBefore: Date = Date() - 300,
        notAfter: Date = Date() + 86_400
    ) throws -> IssuedCertificate {
        try authority.issue(CertificateProfile(
            commonName: host, dnsNames: [host], extendedKeyUsages: usages, notBefore: notBefore, notAfter: notAfter
        ))
    }
}
