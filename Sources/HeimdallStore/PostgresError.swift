/// An error reported by PostgreSQL or libpq, with a stable code.
///
/// Compare errors by ``code``; ``sqlState``, ``message`` and ``detail`` carry what the
/// server said. Values of this type are immutable and may cross threads.
public struct PostgresError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, extensible error code (compare with `==`).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable name of the code, e.g. `unique_violation`.
        public let rawValue: String
        /// Creates a code from its stable name.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The connection could not be opened (server down, wrong address, refused login).
        public static let connectionFailed = Code(rawValue: "connection_failed")
        /// An open connection broke (server restart, `pg_terminate_backend`, SQLSTATE 08xxx/57P0x).
        public static let connectionLost = Code(rawValue: "connection_lost")
        /// The statement failed for another reason.
        public static let queryFailed = Code(rawValue: "query_failed")
        /// The SQL text is invalid (SQLSTATE 42601).
        public static let syntaxError = Code(rawValue: "syntax_error")
        /// A unique or primary key constraint was violated (SQLSTATE 23505).
        public static let uniqueViolation = Code(rawValue: "unique_violation")
        /// A check, not-null or foreign key constraint was violated (SQLSTATE 23xxx).
        public static let constraintViolation = Code(rawValue: "constraint_violation")
        /// The transaction could not be serialized (SQLSTATE 40001); retry it.
        public static let serializationFailure = Code(rawValue: "serialization_failure")
        /// A deadlock was detected (SQLSTATE 40P01); retry the transaction.
        public static let deadlockDetected = Code(rawValue: "deadlock_detected")
        /// A COPY FROM STDIN transfer failed.
        public static let copyFailed = Code(rawValue: "copy_failed")
        /// A result did not have the expected shape (missing column, unparsable value).
        public static let unexpectedResult = Code(rawValue: "unexpected_result")
        /// The database pool is closed.
        public static let closed = Code(rawValue: "closed")
    }

    /// What went wrong, as a stable code.
    public var code: Code
    /// The five-character SQLSTATE, when the server sent one.
    public var sqlState: String?
    /// The primary message (one line).
    public var message: String
    /// The server's DETAIL, when any.
    public var detail: String?

    /// Creates an error; any thread may call it.
    public init(_ code: Code, sqlState: String? = nil, message: String, detail: String? = nil) {
        self.code = code
        self.sqlState = sqlState
        self.message = Self.oneLine(message)
        self.detail = detail.map(Self.oneLine)
    }

    /// The code for a SQLSTATE (08xxx and 57P0x are connection losses).
    public static func code(forSQLState state: String) -> Code {
        switch state {
        case "23505": return .uniqueViolation
        case "42601": return .syntaxError
        case "40001": return .serializationFailure
        case "40P01": return .deadlockDetected
        case "57P01", "57P02", "57P03": return .connectionLost
        default:
            if state.hasPrefix("08") { return .connectionLost }
            if state.hasPrefix("23") { return .constraintViolation }
            return .queryFailed
        }
    }

    /// True for errors after which the connection must be dropped and opened again.
    public var isConnectionError: Bool {
        code == .connectionLost || code == .connectionFailed
    }

    /// One sentence: what failed, then what PostgreSQL said.
    public var description: String {
        let what: String
        switch code {
        case .connectionFailed: what = "Cannot connect to PostgreSQL"
        case .connectionLost: what = "The connection to PostgreSQL was lost"
        case .closed: what = "The database is closed"
        case .unexpectedResult: what = "PostgreSQL returned an unexpected result"
        case .copyFailed: what = "Copying rows into PostgreSQL failed"
        default: what = "PostgreSQL refused the statement"
        }
        var text = "\(what): \(message)"
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail, !detail.isEmpty { text += " — \(detail)" }
        if !(text.hasSuffix(".") || text.hasSuffix("?") || text.hasSuffix("!")) { text += "." }
        return text
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

import Foundation
