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
        var encoder = CopyTextEncoder()
        var failure: PostgresError?
        for row in rows {
            encode(row, &encoder)
            encoder.endRow()
            if encoder.bytes.count >= 1 << 16 {
                if let problem = send(encoder.bytes) {
                    failure = problem
                    break
                }
                encoder.removeAll()
            }
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
