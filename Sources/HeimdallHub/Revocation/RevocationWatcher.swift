import Foundation
import HeimdallProtocol
import HeimdallStore
import HeimdallTLS
import Logging
import NIOCore

/// Keeps the TLS layer's revoked serials in step with the `certificates` table and cuts
/// live sessions whose certificate was revoked (protocol.md: within 5 s).
///
/// Two paths, so a revocation made by any process sharing the database — `heimdall-pki
/// revoke`, another hub, SQL by hand — reaches every hub: PostgreSQL notifies each newly
/// revoked serial (`LISTEN heimdall_revocation`, fired by a trigger on COMMIT), which is
/// enforced at once; and the full list is reloaded every refresh interval (default 2 s) in
/// case a notification was missed while the listening connection was down. Thread-safe.
final class RevocationWatcher: Sendable {
    private let list: RevocationList
    private let registry: SessionRegistry
    private let database: Database
    private let logger: Logger
    private let changed: @Sendable () async -> Void

    /// - Parameter changed: called after a notified revocation was enforced (the CRL file
    ///   is republished from it).
    init(
        list: RevocationList, registry: SessionRegistry, database: Database, logger: Logger,
        changed: @escaping @Sendable () async -> Void = {}
    ) {
        self.changed = changed
        self.list = list
        self.registry = registry
        self.database = database
        self.logger = logger
    }

    /// Reloads and enforces every `interval` until cancelled.
    func run(every interval: TimeAmount) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .nanoseconds(interval.nanoseconds))
            await refresh()
        }
    }

    /// Enforces each serial PostgreSQL notifies, until cancelled; reconnects after errors.
    func listen(_ listener: RevocationListener) async {
        while !Task.isCancelled {
            do {
                let serials = try await listener.nextSerials(timeout: .milliseconds(250))
                for serial in serials {
                    list.insert(serial)
                    enforce()
                }
                if !serials.isEmpty { await changed() }
            } catch {
                if Task.isCancelled { return }
                logger.warning("revocation notifications interrupted; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Loads the revoked serials once and terminates sessions that use one of them.
    func refresh() async {
        do {
            let serials = try await database.withConnection { try CertificateRecords().revokedSerials(on: $0) }
            list.replaceAll(serials)
            enforce()
        } catch {
            // A cancelled reload only means the hub is stopping.
            if !Task.isCancelled {
                logger.warning("could not reload revoked certificates", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Ends every live session whose certificate is in the list.
    private func enforce() {
        for session in registry.all where list.contains(session.certificateSerial) {
            logger.notice("certificate revoked; ending its session", metadata: ["host": "\(session.host)", "serial": "\(session.certificateSerial)"])
            session.terminate(.certificateRevoked, "certificate \(session.certificateSerial) was revoked")
        }
    }
}
