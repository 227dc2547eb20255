import Foundation
import HeimdallSystem
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// A local PostgreSQL cluster owned by Heimdall: the embedded hub's database and the
/// tests' throwaway one.
///
/// Layout under ``directory``: `data/` (PGDATA), the unix socket `.s.PGSQL.<port>`, and
/// `postgresql.log`. The server listens only on that socket unless ``listenAddress`` is
/// set. When this process is root, every PostgreSQL command runs as the `postgres` user.
///
/// Methods block while the commands run: call them from a thread pool or at start-up.
/// Any thread may call them; do not start and stop one cluster from two threads at once.
public struct PostgresCluster: Sendable {
    /// The cluster's directory.
    public let directory: URL
    /// The port (TCP, and the number in the socket file's name).
    public let port: Int
    /// A TCP address to listen on too (e.g. `127.0.0.1`); `nil` for the unix socket only.
    /// The cluster uses trust authentication, so any local user can connect over TCP:
    /// listen on TCP only in tests or on single-user machines.
    public let listenAddress: String?
    /// False for throwaway clusters: no fsync at all (fast, but a machine crash loses data).
    public let durable: Bool
    /// The database role every connection uses.
    public static let user = "heimdall"
    /// The database created for Heimdall.
    public static let defaultDatabase = "heimdall"

    private let logger: Logger

    /// Describes a cluster in `directory` (nothing happens on disk until
    /// ``initializeIfNeeded()``). `port` defaults to 5432: with the socket in its own
    /// directory, clusters do not collide unless they also listen on TCP.
    public init(
        directory: URL, port: Int? = nil, listenAddress: String? = nil, durable: Bool = true,
        logger: Logger = Logger(label: "heimdall.postgres")
    ) {
        self.directory = directory.standardizedFileURL
        self.port = port ?? 5432
        self.listenAddress = listenAddress
        self.durable = durable
        self.logger = logger
    }

    /// PGDATA.
    public var dataDirectory: URL { directory.appendingPathComponent("data", isDirectory: true) }
    /// The server log.
    public var logFile: URL { directory.appendingPathComponent("postgresql.log") }
    /// The directory holding the unix socket.
    public var socketDirectory: String { directory.path }

    /// A libpq URI for `database` as user `heimdall`: over the unix socket, or over TCP to
    /// ``listenAddress`` when `tcp` is true and one is set.
    public func connectionURL(database: String = Self.defaultDatabase, tcp: Bool = false) -> String {
        let socket = tcp ? (listenAddress ?? socketDirectory) : socketDirectory
        let host = socket.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? socket
        let name = database.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? database
        return "postgresql://\(Self.user)@/\(name)?host=\(host)&port=\(port)"
    }

    /// Creates the cluster (initdb, role `heimdall`, trust authentication, UTF8) unless
    /// `data/PG_VERSION` exists. The database `heimdall` is created by ``start()``.
    /// - Throws: ``PostgresClusterError``.
    public func initializeIfNeeded() throws {
        let tools = try PostgresTools.locate()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try prepareOwnership()
        if FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) { return }
        logger.info("creating PostgreSQL cluster", metadata: ["directory": "\(directory.path)"])
        try runTool(tools.initdb, [
            "-D", dataDirectory.path, "-U", Self.user, "--auth=trust", "-E", "UTF8", "--locale=C",
        ] + (durable ? [] : ["--no-sync"]), what: "initdb")
        try appendSettings()
    }

    /// Settings for a steady stream of small commits, appended to a new cluster's
    /// `postgresql.conf` (where an operator may change them): with the default 1 GB of WAL,
    /// a hub storing 10,000 events/s started a checkpoint about every 30 s, and commits
    /// waiting on WAL flushes during one could hold acks for up to 300 ms.
    static let settings = """

        # Heimdall (docs/DATABASE.md, "The embedded cluster"): fewer checkpoints under ingest.
        max_wal_size = 4GB
        checkpoint_timeout = 15min

        """

    private func appendSettings() throws {
        let path = dataDirectory.appendingPathComponent("postgresql.conf").path
        guard let file = FileHandle(forWritingAtPath: path) else {
            throw PostgresClusterError(.commandFailed, directory: directory.path, message: "cannot open \(path) to add Heimdall's settings")
        }
        defer { try? file.close() }
        try file.seekToEnd()
        try file.write(contentsOf: Data(Self.settings.utf8))
    }

    /// Starts the server (`pg_ctl -w start`) unless it is running, then makes sure the
    /// database `heimdall` exists. Idempotent.
    /// - Throws: ``PostgresClusterError`` naming the log file when the server does not start.
    public func start() throws {
        let tools = try PostgresTools.locate()
        if try !isRunning {
            for character in [socketDirectory, listenAddress ?? ""].joined() where character == "'" || character == "\"" {
                throw PostgresClusterError(.invalidPath, directory: directory.path, message: "the path contains a quote")
            }
            let listen = listenAddress ?? ""
            var options = "-k '\(socketDirectory)' -c listen_addresses='\(listen)' -p \(port)"
            if !durable { options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off" }
            logger.info("starting PostgreSQL", metadata: ["directory": "\(directory.path)", "port": "\(port)"])
            try runTool(tools.pgCtl, [
                "-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60", "-o", options, "start",
            ], what: "pg_ctl start")
        }
        try createDatabase(Self.defaultDatabase)
    }

    /// Stops the server (`pg_ctl -m fast stop`) when it is running. Idempotent.
    public func stop(mode: String = "fast") throws {
        let tools = try PostgresTools.locate()
        guard try isRunning else { return }
        logger.info("stopping PostgreSQL", metadata: ["directory": "\(directory.path)"])
        try runTool(tools.pgCtl, ["-D", dataDirectory.path, "-m", mode, "-w", "stop"], what: "pg_ctl stop")
    }

    /// Whether a server is running on this cluster's data directory (`pg_ctl status`).
    public var isRunning: Bool {
        get throws {
            guard FileManager.default.fileExists(atPath: dataDirectory.path) else { return false }
            let tools = try PostgresTools.locate()
            let result = try ChildProcess.run(tools.pgCtl, ["-D", dataDirectory.path, "status"], user: serviceUser, workingDirectory: "/")
            return result.status == 0
        }
    }

    /// Creates `name` unless it exists. `name` must match `[a-z0-9_]{1,63}` (identifiers
    /// cannot be parameters, so they are checked instead).
    public func createDatabase(_ name: String) throws {
        guard PostgresIdentifier.isPlain(name) else {
            throw PostgresClusterError(.invalidName, directory: directory.path, message: "\(name) is not a plain database name")
        }
        let connection = try PostgresConnection(url: connectionURL(database: "postgres"), logger: logger)
        let exists = try connection.query("SELECT 1 FROM pg_database WHERE datname = $1", [.string(name)])
        if exists.count == 0 {
            do {
                try connection.execute("CREATE DATABASE \(name)")
            } catch let error as PostgresError where error.sqlState == "42P04" || error.code == .uniqueViolation {
                return
            }
        }
    }

    /// The user PostgreSQL commands run as: `postgres` when this process is root.
    private var serviceUser: String? { geteuid() == 0 ? "postgres" : nil }

    /// As root: hands the directory to `postgres` and checks that it can reach it.
    private func prepareOwnership() throws {
        guard let serviceUser else { return }
        chmod(directory.path, 0o700)
        let chown = try ChildProcess.run("chown", ["-R", "\(serviceUser):", directory.path])
        guard chown.status == 0 else {
            throw PostgresClusterError(.permissionDenied, directory: directory.path, message: chown.output)
        }
        let probe = try ChildProcess.run("test", ["-w", directory.path, "-a", "-x", directory.path], user: serviceUser, workingDirectory: "/")
        guard probe.status == 0 else {
            throw PostgresClusterError(
                .permissionDenied, directory: directory.path,
                message: "the postgres user cannot reach it; make every parent directory traversable (chmod o+x)"
            )
        }
    }

    private func runTool(_ path: String, _ arguments: [String], what: String) throws {
        let result = try ChildProcess.run(path, arguments, user: serviceUser, workingDirectory: "/")
        guard result.status == 0 else {
            let log = (try? String(contentsOf: logFile, encoding: .utf8)).map { String($0.suffix(600)) } ?? ""
            logger.error("\(what) failed", metadata: ["output": "\(result.output)", "log": "\(log)"])
            let output = result.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            let reason = output.isEmpty ? "exit status \(result.status)" : String(output.prefix(400))
            throw PostgresClusterError(.commandFailed, directory: directory.path, message: "\(what) failed: \(reason) (see \(logFile.path))")
        }
    }
}

/// Checks identifiers that must be spliced into SQL (CREATE DATABASE takes no parameters).
enum PostgresIdentifier {
    static func isPlain(_ name: String) -> Bool {
        guard (1...63).contains(name.utf8.count), let first = name.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }
}
