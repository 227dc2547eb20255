import Foundation
import Logging

/// One versioned schema step: SQL statements applied together, in order.
public struct Migration: Sendable, Hashable {
    /// Strictly increasing version number.
    public var version: Int
    /// A short name for logs.
    public var name: String
    /// Constant SQL statements (one statement each).
    public var statements: [String]

    /// Creates a step; any thread may call it.
    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

/// Applies the schema steps that are missing, recording them in `schema_migrations`.
///
/// Safe with several processes at once: everything happens in one transaction holding
/// `pg_advisory_xact_lock(Migrations.lockKey)`, so late comers wait and then find the
/// steps already applied. Blocking: call on a pool thread.
public enum Migrations {
    /// The advisory lock key ("Heimdall" in ASCII).
    public static let lockKey: Int64 = 0x4865_696D_6461_6C6C

    /// Every step, in order.
    public static let all: [Migration] = [
        SchemaV1.migration, SchemaV2.migration, SchemaV3.migration, SchemaV4.migration, SchemaV5.migration,
    ]

    /// Applies the missing steps of `migrations` and returns their versions.
    @discardableResult
    public static func apply(
        on connection: PostgresConnection, migrations: [Migration] = all,
        logger: Logger = Logger(label: "heimdall.store")
    ) throws -> [Int] {
        try connection.transaction { connection in
            try connection.execute("SELECT pg_advisory_xact_lock($1)", [.int64(lockKey)])
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """)
            let rows = try connection.query("SELECT version FROM schema_migrations")
            let applied = Set(try rows.map { try $0.require("version", as: Int.self) })
            var newlyApplied: [Int] = []
            for migration in migrations.sorted(by: { $0.version < $1.version }) where !applied.contains(migration.version) {
                logger.info("applying schema migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                for statement in migration.statements { try connection.execute(statement) }
                try connection.execute("INSERT INTO schema_migrations (version) VALUES ($1)", [.int(migration.version)])
                newlyApplied.append(migration.version)
            }
            return newlyApplied
        }
    }

    /// The versions recorded in `schema_migrations`, ascending.
    public static func appliedVersions(on connection: PostgresConnection) throws -> [Int] {
        try connection.query("SELECT version FROM schema_migrations ORDER BY version").map { try $0.require("version") }
    }
}
