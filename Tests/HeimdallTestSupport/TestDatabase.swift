import Foundation
import HeimdallStore
import HeimdallSystem
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One throwaway PostgreSQL cluster per test process, and a fresh database per suite.
///
/// The cluster lives in a `mktemp -d` directory, starts when a suite first asks for a
/// database, and is stopped (and its directory removed) when the process exits. Any task
/// may call these methods.
public enum TestDatabase {
    private static let shared = Mutex<SharedState>(SharedState())
    private static let startLock = NSLock()

    private struct SharedState {
        var cluster: PostgresCluster?
        var counter = 0
    }

    /// The shared cluster, started on first use.
    public static func cluster() async throws -> PostgresCluster {
        try await NIOThreadPool.singleton.runIfActive { try startIfNeeded() }
    }

    /// Creates a new, empty database (no migrations applied) and returns its URL. `name`
    /// is made unique and safe (lowercase letters, digits, underscores).
    public static func fresh(name: String) async throws -> String {
        let number = shared.withLock { state -> Int in
            state.counter += 1
            return state.counter
        }
        let cleaned = String(name.lowercased().map { ($0.isLetter && $0.isASCII) || ($0.isNumber && $0.isASCII) ? $0 : "_" }.prefix(40))
        let database = "t_\(cleaned)_\(getpid())_\(number)"
        return try await NIOThreadPool.singleton.runIfActive {
            let cluster = try startIfNeeded()
            try cluster.createDatabase(database)
            return cluster.connectionURL(database: database)
        }
    }

    /// A fresh database with the schema migrated, opened as a pool of `poolSize`.
    public static func freshDatabase(name: String, poolSize: Int = 2) async throws -> Database {
        try await Database.open(.init(url: try await fresh(name: name), poolSize: poolSize))
    }

    /// Blocking: creates and starts the cluster once per process.
    private static func startIfNeeded() throws -> PostgresCluster {
        startLock.lock()
        defer { startLock.unlock() }
        if let cluster = shared.withLock({ $0.cluster }) { return cluster }
        removeAbandonedClusters()
        let made = try ChildProcess.run("mktemp", ["-d", "/tmp/heimdall-test-pg.XXXXXX"])
        guard made.status == 0 else { throw TestDatabaseError(message: "mktemp failed: \(made.output)") }
        let directory = URL(fileURLWithPath: made.output.trimmingCharacters(in: .whitespacesAndNewlines), isDirectory: true)
        try "\(getpid())".write(to: directory.appendingPathComponent("owner.pid"), atomically: true, encoding: .utf8)
        let cluster = PostgresCluster(directory: directory, durable: false)
        shared.withLock { $0.cluster = cluster }
        atexit { TestDatabase.shutdown() }
        try cluster.initializeIfNeeded()
        try cluster.start()
        return cluster
    }

    /// Stops and removes clusters left behind by test processes that died without running
    /// their exit handler (e.g. killed by a timeout).
    private static func removeAbandonedClusters() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        for name in names where name.hasPrefix("heimdall-test-pg.") {
            let directory = URL(fileURLWithPath: "/tmp/\(name)", isDirectory: true)
            guard let text = try? String(contentsOf: directory.appendingPathComponent("owner.pid"), encoding: .utf8),
                  let owner = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                  kill(owner, 0) != 0, errno == ESRCH
            else { continue }
            try? PostgresCluster(directory: directory).stop(mode: "immediate")
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// Stops the cluster and removes its directory (called at exit).
    static func shutdown() {
        guard let cluster = shared.withLock({ $0.cluster }) else { return }
        try? cluster.stop(mode: "immediate")
        try? FileManager.default.removeItem(at: cluster.directory)
    }
}

/// A test fixture could not be set up.
public struct TestDatabaseError: Error, CustomStringConvertible {
    /// What failed.
    public var message: String
    /// The message.
    public var description: String { message }
}
