import Foundation
import HeimdallStore
import Logging
import NIOPosix
import Synchronization

/// A dedicated PostgreSQL connection that `LISTEN`s for revoked serials.
///
/// Its blocking waits run on a thread pool of its own (one thread), so they never hold a
/// database pool connection or an event loop. The connection is opened lazily and dropped
/// after any error; the next wait opens it again. Thread-safe.
final class RevocationListener: Sendable {
    private let url: String
    private let logger: Logger
    private let connection = Mutex<PostgresConnection?>(nil)
    private let threadPool: NIOThreadPool

    init(url: String, logger: Logger) {
        self.url = url
        self.logger = logger
        self.threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
    }

    /// Opens the connection and subscribes, so no revocation committed from now on is
    /// missed. The hub calls it before it accepts sessions.
    func start() async throws {
        _ = try await nextSerials(timeout: .zero)
    }

    /// Waits up to `timeout` for newly revoked serials (subscribing again first if the
    /// connection was lost).
    func nextSerials(timeout: Duration) async throws -> [String] {
        try await threadPool.runIfActive { [self] in
            try connection.withLock { connection in
                do {
                    if connection == nil {
                        let opened = try PostgresConnection(url: url, logger: logger)
                        try opened.listen(CertificateRecords.revocationChannel)
                        connection = opened
                    }
                    return try connection?.waitForNotifications(timeout: timeout).map(\.payload) ?? []
                } catch {
                    connection = nil
                    throw error
                }
            }
        }
    }

    /// Stops the listening thread (after its current wait).
    func shutdown() async {
        try? await threadPool.shutdownGracefully()
    }
}
