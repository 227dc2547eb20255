import ArgumentParser

/// `--database-url URL` and `--data-dir DIR`, shared by every command that needs the
/// database. Resolve them with `HeimdallStore.DatabaseLocation.resolve`, which also reads
/// `HEIMDALL_DATABASE_URL` (this module does not depend on the store, so the agent can
/// use it).
public struct DatabaseOptions: ParsableArguments, Sendable {
    /// A libpq connection string or URI; wins over `HEIMDALL_DATABASE_URL`.
    @Option(name: .customLong("database-url"), help: ArgumentHelp(
        "PostgreSQL connection string or URI (default: $HEIMDALL_DATABASE_URL, else the embedded cluster).",
        valueName: "URL"
    ))
    public var databaseURL: String?

    /// The directory whose `postgres` subdirectory holds the embedded cluster; `nil` when
    /// not given (the store's default `./.heimdall` applies, after any configuration file).
    @Option(name: .customLong("data-dir"), help: ArgumentHelp(
        "Directory of the embedded PostgreSQL cluster, used without a database URL (default ./.heimdall).", valueName: "DIR"
    ))
    public var dataDirectory: String?

    /// Creates the group with its defaults (ArgumentParser fills it in).
    public init() {}
}
