import Foundation
import HeimdallTLS

extension CertificateAuthority {
    /// Default validity of the root certificate: 20 years.
    public static let defaultRootDays = 7300
    /// Default validity of an issuing intermediate: 5 years.
    public static let defaultIntermediateDays = 1825
    /// Default validity of the hub certificate.
    public static let defaultHubDays = 825

    /// A new root and intermediate held in memory only (tests use one as a *foreign* CA).
    /// `days` is the root's validity, `intermediateDays` the intermediate's. Any thread.
    public static func create(
        caName: String = "Heimdall CA",
        days: Int = defaultRootDays,
        intermediateDays: Int = defaultIntermediateDays,
        now: Date = Date()
    ) throws(PKIError) -> CertificateAuthority {
        let root = try makeRoot(caName: caName, days: days, now: now)
        let issuer = try makeIntermediate(root: root, days: intermediateDays, now: now)
        return try CertificateAuthority(key: issuer.key, issuer: issuer.handle, root: root.handle)
    }

    /// Creates the hierarchy in `directory` (created 0700 if missing): `root.key` (0600),
    /// `ca.pem` (the root), `intermediate.key` (0600), `intermediate.pem`, `hub.key` (0600)
    /// and `hub.pem` (hub certificate, intermediate, root). Refuses with
    /// `.alreadyInitialized` when any CA file (`ca.pem`, `root.key`, `ca.key`,
    /// `intermediate.key`, `intermediate.pem`) exists.
    public static func initialize(
        directory: String,
        caName: String = "Heimdall CA",
        hubNames: [String] = [],
        days: Int = defaultRootDays,
        intermediateDays: Int = defaultIntermediateDays
    ) throws(PKIError) -> CertificateAuthority {
        let paths = CAPaths(directory: directory)
        let existing = [paths.caCertificate, paths.rootKey, paths.legacyCAKey, paths.intermediateKey, paths.intermediateCertificate]
        for path in existing where CAPaths.exists(path) {
            throw PKIError(code: .alreadyInitialized, message: "\(path) already exists; refusing to overwrite an existing CA")
        }
        let hubProfile = try CertificateProfile.hub(names: hubNames)
        try PKIFiles.makeDirectory(directory)
        let root = try makeRoot(caName: caName, days: days, now: Date())
        let issuer = try makeIntermediate(root: root, days: intermediateDays, now: Date())
        let authority = try CertificateAuthority(key: issuer.key, issuer: issuer.handle, root: root.handle)
        let hub = try authority.issue(hubProfile)
        try root.key.write(to: paths.rootKey, overwrite: false)
        try issuer.key.write(to: paths.intermediateKey, overwrite: false)
        try PKIFiles.writePublic(authority.certificatePEM, to: paths.caCertificate)
        try PKIFiles.writePublic(authority.intermediatePEM, to: paths.intermediateCertificate)
        try authority.writeHubFiles(hub, paths: paths)
        return authority
    }

    /// Signs a new intermediate with the root key — `rootKeyPath`, by default `root.key` of
    /// `directory` (refused with `.rootKeyUnavailable` when missing) — and makes it the
    /// issuing one: the current `intermediate.pem` is kept as `intermediate-<serial>.pem`, its
    /// key is replaced. Certificates it signed stay valid until they expire (their chains
    /// carry it, and it is still root-signed). The hub certificate is not touched (see
    /// ``rotateHubCertificate(directory:hubNames:days:)``).
    public static func rotateIntermediate(
        directory: String, rootKeyPath: String? = nil, days: Int = defaultIntermediateDays, now: Date = Date()
    ) throws(PKIError) -> CertificateAuthority {
        let paths = CAPaths(directory: directory)
        let rootKeyPath = rootKeyPath ?? paths.rootKey
        guard CAPaths.exists(rootKeyPath) else {
            throw PKIError(
                code: .rootKeyUnavailable,
                message: "\(rootKeyPath) is missing; bring the root key from offline storage to sign a new intermediate"
            )
        }
        let rootKey = try PrivateKey.load(path: rootKeyPath)
        let rootHandle = try X509Handle.parse(pem: try PKIFiles.readText(paths.caCertificate))
        try requireMatch(rootKey, rootHandle, keyPath: rootKeyPath, certificatePath: paths.caCertificate)
        let root = KeyPair(key: rootKey, handle: rootHandle)
        let issuer = try makeIntermediate(root: root, days: days, now: now)
        let authority = try CertificateAuthority(key: issuer.key, issuer: issuer.handle, root: rootHandle)
        if CAPaths.exists(paths.intermediateCertificate) {
            let old = try PKIFiles.readText(paths.intermediateCertificate)
            let serial = try facts(old, what: "current intermediate").serialNumber
            try PKIFiles.writePublic(old, to: paths.retiredIntermediate(serial: serial))
        }
        try issuer.key.write(to: paths.intermediateKey, overwrite: true)
        try PKIFiles.writePublic(authority.intermediatePEM, to: paths.intermediateCertificate)
        return authority
    }

    /// Issues a new hub certificate with the current intermediate and replaces `hub.key` and
    /// `hub.pem`. Empty `hubNames` keeps the names of the current `hub.pem`. Needs no root key.
    public static func rotateHubCertificate(
        directory: String, hubNames: [String] = [], days: Int = defaultHubDays
    ) throws(PKIError) -> IssuedCertificate {
        let paths = CAPaths(directory: directory)
        let authority = try load(directory: directory)
        var names = hubNames
        if names.isEmpty, let text = try? PKIFiles.readText(paths.hubCertificate), let current = try? PeerCertificate(pem: text) {
            names = previousHubNames(current)
        }
        let hub = try authority.issueHubCertificate(names: names, days: days)
        try authority.writeHubFiles(hub, paths: paths)
        return hub
    }

    /// The `--hub-name` values that produced `hub`: its CN first, then its other SANs.
    static func previousHubNames(_ hub: PeerCertificate) -> [String] {
        let implicit: Set<String> = ["localhost", "127.0.0.1", "heimdall-hub"]
        var names: [String] = []
        for name in [hub.commonName].compactMap({ $0 }) + hub.dnsNames + hub.ipAddresses
        where !implicit.contains(name) && !names.contains(name) {
            names.append(name)
        }
        return names
    }

    /// `hub.key` (0600) and `hub.pem`: the hub certificate, the intermediate and the root.
    /// The root travels too so that enrolling agents can pin it by fingerprint.
    func writeHubFiles(_ hub: IssuedCertificate, paths: CAPaths) throws(PKIError) {
        try hub.privateKey.write(to: paths.hubKey, overwrite: true)
        try PKIFiles.writePublic(hub.chainPEM + certificatePEM, to: paths.hubCertificate)
    }

    /// A key and the certificate it belongs to.
    struct KeyPair {
        let key: PrivateKey
        let handle: X509Handle
    }

    private static func makeRoot(caName: String, days: Int, now: Date) throws(PKIError) -> KeyPair {
        let key = try PrivateKey.generateP256()
        let handle = try CertificateBuilder.build(
            commonName: caName, subjectPublicKey: key.key, issuer: nil, issuerKey: key,
            notBefore: now - CertificateProfile.backdate, notAfter: now + TimeInterval(days) * 86_400,
            extensions: CAExtensions.root
        )
        return KeyPair(key: key, handle: handle)
    }

    /// An intermediate named after the root and the time, ending no later than the root.
    private static func makeIntermediate(root: KeyPair, days: Int, now: Date) throws(PKIError) -> KeyPair {
        let rootFacts = try facts(root.handle.pem, what: "root")
        let stamp = intermediateStamp(now)
        let prefix = String((rootFacts.commonName ?? "Heimdall CA").prefix(64 - stamp.count - 14))
        let key = try PrivateKey.generateP256()
        let handle = try CertificateBuilder.build(
            commonName: "\(prefix) Intermediate \(stamp)", subjectPublicKey: key.key, issuer: root.handle, issuerKey: root.key,
            notBefore: now - CertificateProfile.backdate, notAfter: min(now + TimeInterval(days) * 86_400, rootFacts.notAfter),
            extensions: CAExtensions.intermediate
        )
        return KeyPair(key: key, handle: handle)
    }

    /// The UTC date and 8 random hex digits (`20261121-3f9a1c0e`): successive intermediates
    /// get distinct names even within one second, so CRLs and chains are never confused.
    private static func intermediateStamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd"
        let random = UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(8)
        return formatter.string(from: date) + "-" + random
    }
}
