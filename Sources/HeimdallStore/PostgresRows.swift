import Foundation
import HeimdallProtocol

/// The rows of one statement's result, in text format. Immutable; may cross threads.
public struct PostgresRows: Sendable, Hashable, Sequence {
    /// Column names, in result order.
    public let columns: [String]
    /// The rows.
    public let rows: [PostgresRow]
    /// Rows affected by INSERT/UPDATE/DELETE (0 when the server does not say).
    public let affectedRows: Int

    /// Creates a result; the connection builds these.
    public init(columns: [String], rows: [PostgresRow], affectedRows: Int) {
        self.columns = columns
        self.rows = rows
        self.affectedRows = affectedRows
    }

    /// The number of rows.
    public var count: Int { rows.count }
    /// The first row, when any.
    public var first: PostgresRow? { rows.first }

    public func makeIterator() -> IndexingIterator<[PostgresRow]> { rows.makeIterator() }
}

/// One result row: text values by column, with typed accessors.
///
/// Accessors return `nil` for SQL `NULL`; the `require` form throws
/// ``PostgresError/Code/unexpectedResult`` for a missing column, `NULL` or unparsable text.
public struct PostgresRow: Sendable, Hashable {
    /// Column names, in result order.
    public let columns: [String]
    /// Values in text format, `nil` for SQL `NULL`.
    public let values: [String?]

    /// Creates a row; the connection builds these.
    public init(columns: [String], values: [String?]) {
        self.columns = columns
        self.values = values
    }

    /// The raw text of `column`, `nil` for `NULL` or an unknown column.
    public subscript(column: String) -> String? {
        guard let index = columns.firstIndex(of: column) else { return nil }
        return values[index]
    }

    /// The value of `column` decoded as `T`; `nil` for `NULL`; throws when the column is
    /// missing or its text does not parse as `T`.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        guard let index = columns.firstIndex(of: column) else {
            throw PostgresError(.unexpectedResult, message: "the result has no column \(column)")
        }
        guard let text = values[index] else { return nil }
        guard let value = T(postgresText: text) else {
            throw PostgresError(.unexpectedResult, message: "column \(column) holds \(text.prefix(40)), not a \(T.self)")
        }
        return value
    }

    /// The value of `column` decoded as `T`; throws for `NULL` too.
    public func require<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let value = try decode(column, as: T.self) else {
            throw PostgresError(.unexpectedResult, message: "column \(column) is NULL")
        }
        return value
    }

    /// `column` as text (`nil` for `NULL`, missing or unparsable).
    public func string(_ column: String) -> String? { try? decode(column, as: String.self) }
    /// `column` as a 64-bit integer.
    public func int64(_ column: String) -> Int64? { try? decode(column, as: Int64.self) }
    /// `column` as an integer.
    public func int(_ column: String) -> Int? { try? decode(column, as: Int.self) }
    /// `column` as a double.
    public func double(_ column: String) -> Double? { try? decode(column, as: Double.self) }
    /// `column` as a boolean (`t`/`f`).
    public func bool(_ column: String) -> Bool? { try? decode(column, as: Bool.self) }
    /// `column` as a date (timestamptz text).
    public func date(_ column: String) -> Date? { try? decode(column, as: Date.self) }
    /// `column` as a UUID.
    public func uuid(_ column: String) -> UUID? { try? decode(column, as: UUID.self) }
    /// `column` as JSON (json/jsonb text).
    public func json(_ column: String) -> JSONValue? { try? decode(column, as: JSONValue.self) }
}

/// A type that parses from PostgreSQL's text output format.
public protocol PostgresDecodable {
    /// Parses `postgresText`, or returns `nil` when it is not a valid value.
    init?(postgresText: String)
}

extension String: PostgresDecodable {
    public init?(postgresText: String) { self = postgresText }
}
extension Int64: PostgresDecodable {
    public init?(postgresText: String) { self.init(postgresText) }
}
extension Int: PostgresDecodable {
    public init?(postgresText: String) { self.init(postgresText) }
}
extension Int32: PostgresDecodable {
    public init?(postgresText: String) { self.init(postgresText) }
}
extension Double: PostgresDecodable {
    public init?(postgresText: String) {
        switch postgresText {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default: self.init(postgresText)
        }
    }
}
extension Bool: PostgresDecodable {
    public init?(postgresText: String) {
        switch postgresText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}
extension Date: PostgresDecodable {
    public init?(postgresText: String) {
        guard let date = PostgresTimestamp.parse(postgresText) else { return nil }
        self = date
    }
}
extension UUID: PostgresDecodable {
    public init?(postgresText: String) { self.init(uuidString: postgresText) }
}
extension JSONValue: PostgresDecodable {
    public init?(postgresText: String) {
        guard let value = try? JSONParser.parse(Array(postgresText.utf8)) else { return nil }
        self = value
    }
}
