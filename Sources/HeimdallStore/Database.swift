import Foundation
import Logging
import NIOPosix

/// A small pool of ``PostgresConnection``s used only on an `NIOThreadPool`.
///
/// Opening a database runs the schema ``Migrations`` once. A connection found broken after
/// a body ran (`PQstatus` bad, or a connection-class error) is dropped; the next borrower
/// opens a fresh one with bounded exponential backoff. The body's own error still reaches
/// its caller: bodies are never retried, since they need not be idempotent.
///
/// Sendable: any task or thread may call its methods.
public final class Database: Sendable {
    /// How to reach the database and size the pool.
    public struct Configuration: Sendable {
        /// libpq connection string or URI.
        public var url: String
        /// Number of connections (and pool threads); at least 1.
        public var poolSize: Int
        /// How hard to try when (re)opening a connection.
        public var reconnect: ReconnectPolicy
        /// Whether ``Database/open(_:threadPool:)`` applies ``Migrations``.
        public var migrate: Bool
        /// Logger for connection events and server notices.
        public var logger: Logger

        /// A configuration with the defaults (4 connections, migrations on).
        public init(
            url: String, poolSize: Int = 4, reconnect: ReconnectPolicy = .init(), migrate: Bool = true,
            logger: Logger = Logger(label: "heimdall.store")
        ) {
            self.url = url
            self.poolSize = max(1, poolSize)
            self.reconnect = reconnect
            self.migrate = migrate
            self.logger = logger
        }
    }

    /// Bounded exponential backoff for opening connections.
    public struct ReconnectPolicy: Sendable, Hashable {
        /// Attempts per open, at least 1.
        public var attempts: Int
        /// Delay after the first failure, in seconds; doubles after each further one.
        public var initialDelay: Double
        /// Upper bound of a single delay, in seconds.
        public var maximumDelay: Double

        /// Defaults: 5 attempts, 0.05 s doubling up to 2 s (about 0.75 s before giving up).
        public init(attempts: Int = 5, initialDelay: Double = 0.05, maximumDelay: Double = 2) {
            self.attempts = max(1, attempts)
            self.initialDelay = initialDelay
            self.maximumDelay = maximumDelay
        }

        /// The delay after failed attempt number `attempt` (from 0).
        func delay(after attempt: Int) -> Double {
            min(maximumDelay, initialDelay * pow(2, Double(attempt)))
        }
    }

    /// The configuration the database was opened with.
    public let configuration: Configuration
    private let pool: ConnectionPool
    private let threadPool: NIOThreadPool
    private let ownsThreadPool: Bool

    private init(configuration: Configuration, threadPool: NIOThreadPool?) {
        self.configuration = configuration
        pool = ConnectionPool(size: configuration.poolSize)
        if let threadPool {
            self.threadPool = threadPool
            ownsThreadPool = false
        } else {
            self.threadPool = NIOThreadPool(numberOfThreads: configuration.poolSize)
            self.threadPool.start()
            ownsThreadPool = true
        }
    }

    /// Opens the pool (one connection at once, the rest on demand) and applies migrations.
    ///
    /// - Parameter threadPool: a started pool to run libpq calls on; `nil` makes a private
    ///   one with `poolSize` threads, shut down by ``close()``.
    /// - Throws: ``PostgresError`` (`connectionFailed` when the server cannot be reached).
    public static func open(_ configuration: Configuration, threadPool: NIOThreadPool? = nil) async throws -> Database {
        let database = Database(configuration: configuration, threadPool: threadPool)
        do {
            if configuration.migrate {
                let logger = configuration.logger
                try await database.withConnection { try Migrations.apply(on: $0, logger: logger) }
            } else {
                try await database.withConnection { _ in }
            }
        } catch {
            await database.close()
            throw error
        }
        return database
    }

    /// Borrows a connection, runs `body` with it on the thread pool, and returns it.
    ///
    /// Waits when every connection is busy. A transaction left open by `body` is rolled back.
    /// - Throws: what `body` throws, or ``PostgresError`` when no connection can be opened.
    @discardableResult
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        let slot = try await pool.checkout()
        do {
            let value = try await threadPool.runIfActive { try self.run(body, in: slot) }
            pool.checkin(slot)
            return value
        } catch {
            pool.checkin(slot)
            throw error
        }
    }

    /// Closes every connection and refuses further use; waits for nothing in flight.
    public func close() async {
        let slots = pool.close()
        _ = try? await threadPool.runIfActive {
            slots.forEach { $0.connection = nil }
        }
        if ownsThreadPool { try? await threadPool.shutdownGracefully() }
    }

    /// Runs on a pool thread: opens the slot's connection if needed, then runs `body`.
    private func run<T>(_ body: (PostgresConnection) throws -> T, in slot: ConnectionSlot) throws -> T {
        let connection = try slot.connection ?? open()
        slot.connection = connection
        do {
            let value = try body(connection)
            if connection.inTransaction { _ = try? connection.execute("ROLLBACK") }
            return value
        } catch {
            if !connection.isHealthy || (error as? PostgresError)?.isConnectionError == true {
                configuration.logger.warning("dropping a broken database connection", metadata: ["error": "\(error)"])
                slot.connection = nil
            } else if connection.inTransaction {
                _ = try? connection.execute("ROLLBACK")
            }
            throw error
        }
    }

    /// Opens one connection, retrying with backoff. Blocks: pool threads only.
    private func open() throws -> PostgresConnection {
        let policy = configuration.reconnect
        var attempt = 0
        while true {
            do {
                return try PostgresConnection(url: configuration.url, logger: configuration.logger)
            } catch {
                attempt += 1
                guard attempt < policy.attempts else { throw error }
                let delay = policy.delay(after: attempt - 1)
                configuration.logger.info(
                    "cannot open a database connection, retrying",
                    metadata: ["attempt": "\(attempt)", "delay": "\(delay)", "error": "\(error)"]
                )
                Thread.sleep(forTimeInterval: delay)
            }
        }
    }
}
