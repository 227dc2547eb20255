internal import CHeimdallOpenSSL

/// One entry of OpenSSL's thread-local error queue.
struct OpenSSLErrorEntry: Hashable, Sendable {
    /// The packed error code from `ERR_get_error`.
    let packed: UInt
    /// The library's reason code (`ERR_GET_REASON`).
    var reason: Int32 { heimdall_ERR_GET_REASON(packed) }
    /// OpenSSL's reason text, e.g. "tlsv13 alert certificate required".
    let text: String
}

/// Drains OpenSSL's per-thread error queue. Call on the thread that made the failing call.
package enum OpenSSLErrorStack {
    /// Removes every queued error and returns OpenSSL's reason texts, oldest first.
    package static func drainReasons() -> [String] {
        drain().map(\.text)
    }

    /// Removes and returns every queued error, oldest first.
    static func drain() -> [OpenSSLErrorEntry] {
        var entries: [OpenSSLErrorEntry] = []
        while true {
            let packed = ERR_get_error()
            if packed == 0 { break }
            let text = ERR_reason_error_string(packed).map { String(cString: $0) }
                ?? "error \(String(packed, radix: 16))"
            entries.append(OpenSSLErrorEntry(packed: packed, text: text))
        }
        return entries
    }

    /// A configuration error carrying whatever OpenSSL queued.
    static func configurationError(_ message: String) -> TLSError {
        TLSError(code: .invalidConfiguration, message: message, openSSLReasons: drainReasons())
    }
}
