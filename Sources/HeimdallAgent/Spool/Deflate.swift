internal import CZlib

/// zlib (RFC 1950) compression of spool blocks, over zlib's one-shot `compress2` and
/// `uncompress` (pure; any thread).
enum Deflate {
    /// `bytes` compressed at level 6.
    static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        var length = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = out.withUnsafeMutableBufferPointer { target in
            bytes.withUnsafeBufferPointer { source in
                compress2(target.baseAddress, &length, source.baseAddress, uLong(source.count), 6)
            }
        }
        guard status == Z_OK else { return nil }
        return Array(out.prefix(Int(length)))
    }

    /// The `expectedLength` bytes `compressed` holds, or `nil` when it is not exactly that.
    static func decompress(_ compressed: ArraySlice<UInt8>, expectedLength: Int) -> [UInt8]? {
        guard expectedLength >= 0, expectedLength <= SpoolFormat.maximumBlockLength else { return nil }
        var length = uLongf(expectedLength)
        var out = [UInt8](repeating: 0, count: max(1, expectedLength))
        let status = out.withUnsafeMutableBufferPointer { target in
            compressed.withUnsafeBufferPointer { source in
                uncompress(target.baseAddress, &length, source.baseAddress, uLong(source.count))
            }
        }
        guard status == Z_OK, Int(length) == expectedLength else { return nil }
        return Array(out.prefix(expectedLength))
    }
}
