import Foundation
import HeimdallSystem

/// Where the PostgreSQL server binaries are: `pg_config --bindir`, else the newest
/// `/usr/lib/postgresql/*/bin`. Any thread may call it.
struct PostgresTools: Sendable {
    var initdb: String
    var pgCtl: String

    static func locate() throws -> PostgresTools {
        var candidates: [String] = []
        if let result = try? ChildProcess.run("pg_config", ["--bindir"]), result.status == 0 {
            candidates.append(result.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        for directory in candidates {
            let initdb = directory + "/initdb"
            let pgCtl = directory + "/pg_ctl"
            if FileManager.default.isExecutableFile(atPath: initdb), FileManager.default.isExecutableFile(atPath: pgCtl) {
                return PostgresTools(initdb: initdb, pgCtl: pgCtl)
            }
        }
        throw PostgresClusterError(.binariesNotFound, directory: candidates.first ?? "/usr/lib/postgresql", message: "initdb and pg_ctl were not found; install the postgresql package")
    }
}

/// Why a local cluster could not be created, started or stopped.
public struct PostgresClusterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable error code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable name, e.g. `permission_denied`.
        public let rawValue: String
        /// `initdb`/`pg_ctl` are not installed.
        public static let binariesNotFound = Code(rawValue: "binaries_not_found")
        /// The `postgres` user cannot use the directory.
        public static let permissionDenied = Code(rawValue: "permission_denied")
        /// `initdb` or `pg_ctl` exited with an error.
        public static let commandFailed = Code(rawValue: "command_failed")
        /// The directory path cannot be passed to the server safely.
        public static let invalidPath = Code(rawValue: "invalid_path")
        /// A database name is not a plain identifier.
        public static let invalidName = Code(rawValue: "invalid_name")
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// The directory concerned.
    public var directory: String
    /// Details.
    public var message: String

    /// Creates an error; any thread may call it.
    public init(_ code: Code, directory: String, message: String) {
        self.code = code
        self.directory = directory
        self.message = message.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// One sentence naming the directory.
    public var description: String {
        "The PostgreSQL cluster in \(directory) is unusable: \(message)."
    }
}
