import Foundation
import Logging
internal import CLibPQ

/// One libpq connection (`PGconn`), closed when the object is released.
///
/// Every method blocks until PostgreSQL answers: call them from a thread pool (``Database``
/// does), never from an event loop. Not Sendable: one thread uses a connection at a time.
public final class PostgresConnection {
    let handle: OpaquePointer
    private let notices: Unmanaged<NoticeSink>
    /// Where server notices and connection events are logged.
    public let logger: Logger

    /// Opens a connection. `url` is a libpq connection string (`host=/run/pg dbname=x`) or
    /// URI (`postgresql://user@host:5432/db`). The session time zone is set to UTC.
    ///
    /// - Throws: ``PostgresError`` with code `connectionFailed` and libpq's reason.
    public init(url: String, logger: Logger = Logger(label: "heimdall.store")) throws {
        guard let handle = PQconnectdb(url) else {
            throw PostgresError(.connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let reason = String(cString: PQerrorMessage(handle))
            PQfinish(handle)
            throw PostgresError(.connectionFailed, message: reason)
        }
        self.handle = handle
        self.logger = logger
        notices = Unmanaged.passRetained(NoticeSink(logger: logger))
        PQsetNoticeReceiver(handle, noticeReceiver, notices.toOpaque())
        try execute("SET TIME ZONE 'UTC'")
    }

    deinit {
        PQfinish(handle)
        notices.release()
    }

    /// True while libpq considers the connection usable (`PQstatus` is `CONNECTION_OK`).
    public var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK }

    /// The server process id serving this connection (`PQbackendPID`).
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// True while a transaction is open on this connection (including a failed one).
    public var inTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// Runs one statement with positional parameters (`$1`, `$2`, ...) and returns its rows.
    ///
    /// Parameters travel separately from the SQL text (`PQexecParams`); never build SQL
    /// from input. A `nil` parameter is SQL `NULL`.
    /// - Throws: ``PostgresError`` mapped from the server's SQLSTATE.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresValue?] = []) throws -> PostgresRows {
        if let index = parameters.firstIndex(where: { $0?.text.utf8.contains(0) == true }) {
            throw PostgresError(.queryFailed, message: "parameter $\(index + 1) contains a NUL character, which PostgreSQL text cannot hold")
        }
        let result = withCStrings(parameters.map { $0?.text }) { values in
            let types = parameters.map { $0?.typeOID ?? 0 }
            return PQexecParams(handle, sql, Int32(parameters.count), types, values, nil, nil, 0)
        }
        return try consume(result)
    }

    /// Runs one statement for its effect and returns the number of affected rows.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [PostgresValue?] = []) throws -> Int {
        try query(sql, parameters).affectedRows
    }

    /// Runs `body` between `BEGIN` and `COMMIT`; rolls back and rethrows when it throws.
    @discardableResult
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try execute("BEGIN")
        let value: T
        do {
            value = try body(self)
        } catch {
            if isHealthy { _ = try? execute("ROLLBACK") }
            throw error
        }
        if PQtransactionStatus(handle) == PQTRANS_INERROR {
            _ = try? execute("ROLLBACK")
            throw PostgresError(.queryFailed, message: "a statement failed inside the transaction, so it was rolled back")
        }
        try execute("COMMIT")
        return value
    }

    /// Drops and re-establishes the session (`PQreset`); true when it is usable again.
    @discardableResult
    public func reset() -> Bool {
        PQreset(handle)
        guard isHealthy else { return false }
        return (try? execute("SET TIME ZONE 'UTC'")) != nil
    }

    /// Turns a `PGresult` into rows or a ``PostgresError``, and frees it.
    func consume(_ result: OpaquePointer?) throws -> PostgresRows {
        guard let result else { throw connectionError() }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return Self.rows(of: result)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            throw PostgresError(.queryFailed, message: "COPY must go through copyIn(_:rows:)")
        default:
            throw error(from: result)
        }
    }

    /// The error a failed result describes, as a ``PostgresError``.
    func error(from result: OpaquePointer) -> PostgresError {
        func field(_ code: UInt8) -> String? {
            PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
        }
        let message = field(UInt8(ascii: "M")) ?? String(cString: PQresultErrorMessage(result))
        guard let state = field(UInt8(ascii: "C")) else { return connectionError(message) }
        var code = PostgresError.code(forSQLState: state)
        if !isHealthy { code = .connectionLost }
        return PostgresError(code, sqlState: state, message: message, detail: field(UInt8(ascii: "D")))
    }

    /// The error for a failure without a server error field (connection trouble).
    func connectionError(_ fallback: String? = nil) -> PostgresError {
        let libpq = String(cString: PQerrorMessage(handle))
        let message = libpq.isEmpty ? (fallback ?? "no result from the server") : libpq
        return PostgresError(isHealthy ? .queryFailed : .connectionLost, message: message)
    }

    static func rows(of result: OpaquePointer) -> PostgresRows {
        let fieldCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        let columns = (0..<fieldCount).map { String(cString: PQfname(result, Int32($0))) }
        var rows = [PostgresRow]()
        rows.reserveCapacity(rowCount)
        for row in 0..<Int32(rowCount) {
            var values = [String?]()
            values.reserveCapacity(fieldCount)
            for column in 0..<Int32(fieldCount) {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(nil)
                } else {
                    let length = Int(PQgetlength(result, row, column))
                    let bytes = UnsafeRawBufferPointer(start: PQgetvalue(result, row, column), count: length)
                    values.append(String(decoding: bytes, as: UTF8.self))
                }
            }
            rows.append(PostgresRow(columns: columns, values: values))
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresRows(columns: columns, rows: rows, affectedRows: affected)
    }
}

@available(*, unavailable)
extension PostgresConnection: Sendable {}

/// Calls `body` with a C array of NUL-terminated copies of `strings` (`nil` stays `NULL`).
func withCStrings<T>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) throws -> T) rethrows -> T {
    let copies = strings.map { $0.flatMap { strdup($0) } }
    defer { copies.forEach { free($0) } }
    return try body(copies.map { $0.map { UnsafePointer($0) } })
}
