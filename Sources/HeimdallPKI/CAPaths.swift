import Foundation

/// The standard file paths of a CA directory (see ``CertificateAuthority/FileName``).
/// A plain value: any thread.
struct CAPaths {
    let directory: String

    init(directory: String) {
        self.directory = directory
    }

    /// Root private key (kept offline after `init`).
    var rootKey: String { path(CertificateAuthority.FileName.rootKey) }
    /// Root certificate, the trust anchor (`ca.pem`).
    var caCertificate: String { path(CertificateAuthority.FileName.caCertificate) }
    /// The one-level CA key of directories made before the hierarchy (read by `load` only).
    var legacyCAKey: String { path(CertificateAuthority.FileName.caKey) }
    /// Issuing intermediate's private key.
    var intermediateKey: String { path(CertificateAuthority.FileName.intermediateKey) }
    /// Issuing intermediate's certificate.
    var intermediateCertificate: String { path(CertificateAuthority.FileName.intermediateCertificate) }
    /// Hub private key.
    var hubKey: String { path(CertificateAuthority.FileName.hubKey) }
    /// Hub chain (leaf, intermediate, root).
    var hubCertificate: String { path(CertificateAuthority.FileName.hubCertificate) }

    /// Where a replaced intermediate's certificate is kept (`intermediate-<serial>.pem`).
    func retiredIntermediate(serial: String) -> String {
        path("intermediate-\(serial).pem")
    }

    private func path(_ name: String) -> String {
        directory + "/" + name
    }

    /// True when `path` exists.
    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }
}
