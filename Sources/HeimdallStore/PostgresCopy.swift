internal import CLibPQ

extension PostgresConnection {
    /// Runs `COPY ... FROM STDIN` (text format) and streams `rows` to it; returns the number
    /// of rows copied. Values are escaped (backslash, tab, newline, CR); `nil` is `NULL`.
    ///
    /// `sql` must be a trusted constant such as `COPY t (a, b) FROM STDIN`.
    @discardableResult
    public func copyIn(_ sql: String, rows: some Sequence<[String?]>) throws -> Int {
        guard let start = PQexec(handle, sql) else { throw connectionError() }
        let startStatus = PQresultStatus(start)
        guard startStatus == PGRES_COPY_IN else {
            defer { PQclear(start) }
            if startStatus == PGRES_FATAL_ERROR { throw error(from: start) }
            throw PostgresError(.copyFailed, message: "the statement did not start COPY FROM STDIN")
        }
        PQclear(start)
        var buffer = [UInt8]()
        buffer.reserveCapacity(1 << 17)
        var failure: PostgresError?
        for row in rows {
            CopyText.appendRow(row, to: &buffer)
            if buffer.count >= 1 << 16 {
                if let problem = send(buffer) {
                    failure = problem
                    break
                }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if failure == nil, !buffer.isEmpty { failure = send(buffer) }
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

/// COPY text format encoding. Pure functions: any thread may call them.
enum CopyText {
    /// Appends one row: values separated by tabs, `\N` for `NULL`, ended by a newline.
    static func appendRow(_ row: [String?], to buffer: inout [UInt8]) {
        for (index, value) in row.enumerated() {
            if index > 0 { buffer.append(0x09) }
            guard let value else {
                buffer.append(contentsOf: [0x5C, 0x4E])
                continue
            }
            for byte in value.utf8 {
                switch byte {
                case 0x5C: buffer.append(contentsOf: [0x5C, 0x5C])
                case 0x09: buffer.append(contentsOf: [0x5C, 0x74])
                case 0x0A: buffer.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: buffer.append(contentsOf: [0x5C, 0x72])
                default: buffer.append(byte)
                }
            }
        }
        buffer.append(0x0A)
    }
}
