import Foundation
import Logging

/// Runs work against a ``DatabaseLocation``, managing the embedded cluster's lifetime: the
/// cluster is initialized and started when needed, and stopped again afterwards if this
/// call started it (a cluster someone else started keeps running).
public enum EmbeddedDatabase {
    /// Calls `body` with a connection URL for `location`.
    public static func with<T: Sendable>(
        _ location: DatabaseLocation, logger: Logger, _ body: (String) async throws -> T
    ) async throws -> T {
        guard let cluster = location.cluster else { return try await body(location.prepare()) }
        let wasRunning = (try? cluster.isRunning) ?? false
        if !wasRunning { logger.info("starting the embedded PostgreSQL cluster", metadata: ["directory": "\(cluster.dataDirectory.path)"]) }
        let url = try location.prepare()
        defer {
            if !wasRunning {
                do {
                    try cluster.stop()
                } catch {
                    logger.warning("could not stop the embedded PostgreSQL cluster", metadata: ["error": "\(error)"])
                }
            }
        }
        return try await body(url)
    }
}
