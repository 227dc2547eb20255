#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol
import HeimdallTLS
import Logging

/// The agent's certificate and key, and their renewal over the live session.
///
/// When two thirds of the certificate's lifetime have passed, the agent makes a new key
/// here, sends its CSR in a `renew` frame (once per session), and on `renewed` installs the
/// new pair with ``IdentityFiles`` — used from the next connection, since the current one
/// is already authenticated. An actor: the session's reader and writer call it.
public actor AgentIdentity {
    public let certificatePath: String
    public let privateKeyPath: String
    public let caPath: String
    /// The last TLS session per hub address, offered on reconnect; emptied when the
    /// certificate is renewed (a resumed session would carry the old one).
    public nonisolated let tlsSessions = TLSSessionCache()
    private let logger: Logger
    private var certificate: PeerCertificate
    private var pendingKeyPEM: String?
    private var requestedThisSession = false

    /// Finishes any interrupted swap, then loads the certificate.
    public init(certificatePath: String, privateKeyPath: String, caPath: String, logger: Logger) throws {
        try IdentityFiles.recover(keyPath: privateKeyPath, certificatePath: certificatePath)
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.caPath = caPath
        self.logger = logger
        self.certificate = try PeerCertificate.load(path: certificatePath)
    }

    /// The certificate in use.
    public var current: PeerCertificate { certificate }

    /// A client TLS context with the pair on disk, for the next connection. Reads only the
    /// files, so any thread may call it.
    public nonisolated func tlsContext(serverName: String) throws -> TLSContext {
        try TLSContext.client(TLSClientConfiguration(
            certificateChainPath: certificatePath, privateKeyPath: privateKeyPath, trustRootsPath: caPath,
            serverName: serverName, applicationProtocols: ["heimdall/1"]
        ))
    }

    /// Whether `now` is past two thirds of the certificate's lifetime.
    public static func renewalDue(_ certificate: PeerCertificate, now: Date) -> Bool {
        let lifetime = certificate.notAfter.timeIntervalSince(certificate.notBefore)
        return now >= certificate.notBefore.addingTimeInterval(lifetime * 2 / 3)
    }

    /// A new session began: renewal may be requested (again) on it.
    public func sessionStarted() {
        requestedThisSession = false
        pendingKeyPEM = nil
    }

    /// The `renew` frame to send now, if renewal is due and not yet asked on this session.
    public func renewalRequest(now: Date) -> AgentMessage? {
        guard !requestedThisSession, Self.renewalDue(certificate, now: now), let host = certificate.commonName else { return nil }
        requestedThisSession = true
        do {
            let request = try CertificateRequest.generate(commonName: host)
            pendingKeyPEM = request.privateKeyPEM
            logger.notice("requesting certificate renewal", metadata: ["serial": "\(certificate.serialNumber)", "not_after": "\(certificate.notAfter)"])
            return .renew(RenewalRequest(csr: request.requestPEM))
        } catch {
            logger.error("could not make a certificate request", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// The hub answered `renewed`: installs the new pair.
    public func renewed(_ renewal: Renewal) {
        guard let keyPEM = pendingKeyPEM else {
            logger.warning("ignoring a renewed certificate that was not requested")
            return
        }
        pendingKeyPEM = nil
        do {
            let issued = try PeerCertificate(pem: renewal.certificate)
            guard issued.commonName == certificate.commonName else {
                logger.error("the renewed certificate names another host; keeping the current one")
                return
            }
            try IdentityFiles.install(keyPEM: keyPEM, certificatePEM: renewal.certificate, keyPath: privateKeyPath, certificatePath: certificatePath)
            certificate = issued
            tlsSessions.removeAll()
            logger.notice("certificate renewed; used from the next connection", metadata: ["serial": "\(issued.serialNumber)", "not_after": "\(issued.notAfter)"])
        } catch {
            logger.error("could not install the renewed certificate", metadata: ["error": "\(error)"])
        }
    }

    /// The hub refused the pending renewal (a non-fatal error); it is asked again on the
    /// next session.
    public func renewalRefused(_ report: ErrorReport) {
        guard pendingKeyPEM != nil else { return }
        pendingKeyPEM = nil
        logger.warning("certificate renewal refused", metadata: ["code": "\(report.code.rawValue)", "message": "\(report.message)"])
    }
}
