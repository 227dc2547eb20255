internal import CHeimdallOpenSSL

/// Builds ``PKIError``s from OpenSSL's per-thread error queue (call on the failing thread).
enum OpenSSLFailure {
    /// A `.crypto` error with every queued OpenSSL reason, oldest first.
    static func error(_ message: String) -> PKIError {
        var reasons: [String] = []
        while true {
            let packed = ERR_get_error()
            if packed == 0 { break }
            reasons.append(ERR_reason_error_string(packed).map { String(cString: $0) } ?? "error \(packed)")
        }
        return PKIError(code: .crypto, message: message, openSSLReasons: reasons)
    }

    /// Everything written to a memory BIO, as text.
    static func memoryBIOString(_ bio: OpaquePointer) -> String {
        var data: UnsafeMutablePointer<CChar>?
        let length = heimdall_BIO_get_mem_data(bio, &data)
        guard length > 0, let data else { return "" }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    /// Runs `body` with a read-only memory BIO over `text`.
    static func withMemoryBIO<T>(_ text: String, _ body: (OpaquePointer) -> T?) -> T? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }
}
