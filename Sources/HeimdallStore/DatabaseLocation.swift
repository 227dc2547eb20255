import Foundation
import HeimdallSystem

/// Where the CLI's database is (cli.md): `--database-url`, else `HEIMDALL_DATABASE_URL`,
/// else the embedded cluster in `<data-dir>/postgres` (data dir default `./.heimdall`).
/// A value type: any thread may use it.
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    /// A libpq connection string or URI given by the operator.
    case url(String)
    /// The embedded cluster in this directory.
    case embedded(clusterDirectory: URL)

    /// The environment variable read when `--database-url` is absent.
    public static let environmentVariable = "HEIMDALL_DATABASE_URL"
    /// The default `--data-dir`.
    public static let defaultDataDirectory = "./.heimdall"

    /// Resolves the CLI options: an explicit non-empty URL wins, then the environment,
    /// then the embedded cluster under `dataDirectory` (or ``defaultDataDirectory``).
    public static func resolve(
        databaseURL: String?, dataDirectory: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> DatabaseLocation {
        if let databaseURL, !databaseURL.isEmpty { return .url(databaseURL) }
        if let url = environment[environmentVariable], !url.isEmpty { return .url(url) }
        let base = URL(fileURLWithPath: dataDirectory ?? defaultDataDirectory, isDirectory: true)
        let requested = base.appendingPathComponent("postgres", isDirectory: true).standardizedFileURL
        return .embedded(clusterDirectory: reachableClusterDirectory(for: requested))
    }

    /// Where root keeps embedded clusters whose requested directory the `postgres` user
    /// cannot reach (e.g. under `/root`, mode 0700).
    public static let relocatedClusterRoot = "/var/lib/heimdall/embedded"

    /// `requested`, unless this process is root and the `postgres` user (which PostgreSQL
    /// runs as) cannot reach it: then a directory under ``relocatedClusterRoot`` named after
    /// the requested path, so the same `--data-dir` always finds the same cluster.
    static func reachableClusterDirectory(for requested: URL) -> URL {
        guard geteuid() == 0 else { return requested }
        var ancestor = requested
        while !FileManager.default.fileExists(atPath: ancestor.path), ancestor.path != "/" {
            ancestor.deleteLastPathComponent()
        }
        let probe = try? ChildProcess.run("test", ["-x", ancestor.path], user: "postgres", workingDirectory: "/")
        guard probe?.status != 0 else { return requested }
        let relocated = URL(fileURLWithPath: relocatedClusterRoot, isDirectory: true)
            .appendingPathComponent(stableName(requested.path), isDirectory: true)
        try? FileManager.default.createDirectory(atPath: relocatedClusterRoot, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        return relocated
    }

    /// A short, stable, file-name-safe name for `path` (64-bit FNV-1a in hex).
    static func stableName(_ path: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// The embedded cluster, when this location is one.
    public var cluster: PostgresCluster? {
        if case .embedded(let directory) = self { return PostgresCluster(directory: directory) }
        return nil
    }

    /// A connection URL: the given one, or the embedded cluster's after initializing and
    /// starting it when needed. Blocks while the cluster starts (thread pool or start-up).
    public func prepare() throws -> String {
        switch self {
        case .url(let url):
            return url
        case .embedded:
            guard let cluster else { return "" }
            try cluster.initializeIfNeeded()
            try cluster.start()
            return cluster.connectionURL()
        }
    }

    /// For messages; never shows a URL (it may hold a password).
    public var description: String {
        switch self {
        case .url: return "the database named by the connection URL"
        case .embedded(let directory): return "the embedded PostgreSQL cluster in \(directory.path)"
        }
    }
}
