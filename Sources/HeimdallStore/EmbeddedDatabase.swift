import Foundation
import Logging

/// Runs work against a ``DatabaseLocation``, managing the embedded cluster's lifetime: the
/// cluster is initialized and started when needed, and stopped again afterwards if this
/// call started it (a cluster someone else started keeps running).
public enum EmbeddedDatabase {
    /// Calls `body` with a connection URL for `location`.
    public static func with<T>(
        _ location: DatabaseLocation, logger: Logger, _ body: (String) async throws -> T
    ) async throws -> T {
        guard let cluster = location.cluster else { return try await body(location.prepare()) }
        let wasRunning = (try? cluster.isRunning) ?? false
        if !wasRunning { logger.notice("starting the embedded PostgreSQL cluster", metadata: ["directory": "\(cluster.dataDirectory.path)"]) }
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

    /// Opens a ``Database`` at `location` (migrated), runs `body`, closes it, and stops the
    /// embedded cluster if this call started it: the shape of every one-shot command.
    public static func withDatabase<T>(
        _ location: DatabaseLocation, poolSize: Int = 1, logger: Logger, _ body: (Database) async throws -> T
    ) async throws -> T {
        try await with(location, logger: logger) { url in
            let database = try await Database.open(Database.Configuration(url: url, poolSize: poolSize, logger: logger))
            do {
                let value = try await body(database)
                await database.close()
                return value
            } catch {
                await database.close()
                throw error
            }
        }
    }
}
