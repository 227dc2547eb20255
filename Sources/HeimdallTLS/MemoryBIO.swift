internal import CHeimdallOpenSSL

/// OpenSSL memory BIOs as Swift strings; shared with HeimdallPKI. Any thread.
package enum MemoryBIO {
    /// Everything written to the memory BIO `bio`, as UTF-8 text.
    package static func string(_ bio: OpaquePointer) -> String {
        var data: UnsafeMutablePointer<CChar>?
        let length = heimdall_BIO_get_mem_data(bio, &data)
        guard length > 0, let data else { return "" }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    /// Runs `body` with a read-only memory BIO over `text`; nil when allocation fails.
    package static func reading<T>(_ text: String, _ body: (OpaquePointer) -> T?) -> T? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }

    /// Runs `write` against a fresh writable memory BIO and returns what it wrote, or ""
    /// when `write` reports failure.
    package static func written(_ write: (OpaquePointer) -> Bool) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        return write(bio) ? string(bio) : ""
    }
}
