internal import CLibPQ

extension PostgresConnection {
    /// Runs `COPY ... FROM STDIN` (text format) and streams `rows` to it; returns the number
    /// of rows copied. Values are escaped (backslash, tab, newline, CR); `nil` is `NULL`.
    ///
    /// `sql` must be a trusted constant such as `COPY t (a, b) FROM STDIN`.
    @discardableResult
    public func copyIn(_ sql: String, rows: some Sequence<[String?]>) throws -> Int {
        try copyIn(sql, rows: rows) { row, encoder in
            for value in row { encoder.text(value) }
        }
    }

    /// Runs `COPY ... FROM STDIN` (text format), letting `encode` write each row's fields
    /// (the row is ended after it returns); returns the number of rows copied.
    ///
    /// `sql` must be a trusted constant such as `COPY t (a, b) FROM STDIN`.
    @discardableResult
    public func copyIn<Rows: Sequence>(
        _ sql: String, rows: Rows, encode: (Rows.Element, inout CopyTextEncoder) -> Void
    ) throws -> Int {
        guard let start = PQexec(handle, sql) else { throw connectionError() }
        let startStatus = PQresultStatus(start)
        guard startStatus == PGRES_COPY_IN else {
            defer { PQclear(start) }
            if startStatus == PGRES_FATAL_ERROR { throw error(from: start) }
            throw PostgresError(.copyFailed, message: "the statement did not start COPY FROM STDIN")
        }
        PQclear(start)
        return try streamCopy(rows, encode: encode)
    }

    /// Sends `sql` — statements ending in one `COPY ... FROM STDIN` (text format) — as one
    /// simple query: PostgreSQL runs it as one implicit transaction, committed once the COPY
    /// ended and only if nothing in it failed, so the whole write costs two round trips.
    /// `rows` gets the rows of the last statement before the COPY and returns the rows to
    /// copy, which `encode` writes as in ``copyIn(_:rows:encode:)``. Returns the number of
    /// rows copied, after the commit. Call it outside a transaction.
    ///
    /// `sql` must be trusted text: quote any value in it with ``literal(_:)``.
    @discardableResult
    public func copyIn<Rows: Sequence>(
        afterQuery sql: String, rows: (PostgresRows) throws -> Rows, encode: (Rows.Element, inout CopyTextEncoder) -> Void
    ) throws -> Int {
        guard PQsendQuery(handle, sql) == 1 else { throw connectionError() }
        var before = PostgresRows(columns: [], rows: [], affectedRows: 0)
        var failure: PostgresError?
        while true {
            guard let result = PQgetResult(handle) else {
                throw failure ?? PostgresError(.copyFailed, message: "the query did not start COPY FROM STDIN")
            }
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            if status == PGRES_COPY_IN { break }
            if status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK {
                before = Self.rows(of: result)
            } else if failure == nil {
                failure = error(from: result)
            }
        }
        let selected: Rows
        do {
            selected = try rows(before)
        } catch {
            _ = PQputCopyEnd(handle, "client gave up")
            while let result = PQgetResult(handle) { PQclear(result) }
            throw error
        }
        return try streamCopy(selected, encode: encode)
    }

    /// `text` as a quoted SQL string literal for this connection (`PQescapeLiteral`).
    public func literal(_ text: String) throws -> String {
        let utf8 = Array(text.utf8)
        let quoted = utf8.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { PQescapeLiteral(handle, $0.baseAddress, $0.count) }
        }
        guard let quoted else { throw PostgresError(.queryFailed, message: String(cString: PQerrorMessage(handle))) }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }

    /// Streams `rows` to a COPY already in progress, ends it and reads its outcome.
    private func streamCopy<Rows: Sequence>(_ rows: Rows, encode: (Rows.Element, inout CopyTextEncoder) -> Void) throws -> Int {
        var encoder = CopyTextEncoder()
        var failure: PostgresError?
        func append(_ row: borrowing Rows.Element) -> Bool {
            encode(row, &encoder)
            encoder.endRow()
            guard encoder.bytes.count >= 1 << 16 else { return true }
            failure = send(encoder.bytes)
            encoder.removeAll()
            return failure == nil
        }
        // Rows in an array are encoded where they lie (iterating would copy each one).
        let streamed: Void? = rows.withContiguousStorageIfAvailable { buffer in
            for index in buffer.indices where !append(buffer[index]) { break }
        }
        if streamed == nil {
            for row in rows where !append(row) { break }
        }
        if failure == nil, !encoder.bytes.isEmpty { failure = send(encoder.bytes) }
        let ended = PQputCopyEnd(handle, failure == nil ? nil : "client gave up")
        var outcome: Result<Int, PostgresError> = .success(0)
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                outcome = .success(Int(String(cString: PQcmdTuples(result))) ?? 0)
            } else if case .success = outcome {
                outcome = .failure(error(from: result))
            }
        }
        if let failure { throw failure }
        if ended != 1 { throw connectionError() }
        return try outcome.get()
    }

    private func send(_ buffer: [UInt8]) -> PostgresError? {
        let sent = buffer.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
        }
        return sent == 1 ? nil : PostgresError(.copyFailed, message: String(cString: PQerrorMessage(handle)))
    }
}
