import Foundation

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
        return .embedded(clusterDirectory: base.appendingPathComponent("postgres", isDirectory: true).standardizedFileURL)
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
