import Foundation
import HeimdallPKI
import HeimdallStore
import HeimdallSystem
import Logging

/// Keeps `<pki-dir>/crl.pem` current for tools that read a CRL file (haproxy, nginx, …):
/// rewritten at start, every refresh interval (default 1 h, far inside the CRL's 7-day
/// `nextUpdate`, so it never lapses while a hub runs) and at once after each revocation.
/// Needs the intermediate's key (the CRL issuer); a hub without it publishes nothing. Thread-safe.
final class CRLPublisher: Sendable {
    private let inventory: CertificateInventory
    private let path: String
    private let logger: Logger

    init(database: Database, pkiDirectory: URL, logger: Logger) {
        self.inventory = CertificateInventory(database: database, pkiDirectory: pkiDirectory.path)
        self.path = pkiDirectory.appendingPathComponent("crl.pem").path
        self.logger = logger
    }

    /// Writes a freshly signed CRL; failures are logged (the file keeps its last content).
    func publish() async {
        do {
            let pem = try await inventory.revocationList()
            try AtomicFile.write(Array(pem.utf8), to: path, mode: 0o644)
        } catch {
            logger.warning("could not publish the CRL", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }

    /// Publishes now and then every `interval`, until cancelled.
    func run(every interval: Duration) async {
        while !Task.isCancelled {
            await publish()
            try? await Task.sleep(for: interval)
        }
    }
}
