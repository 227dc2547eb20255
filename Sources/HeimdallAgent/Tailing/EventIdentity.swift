import HeimdallTLS

/// Deterministic event ids for lines read from files.
///
/// Pure functions: any thread may call them.
public enum EventIdentity {
    /// The domain tag hashed first (version 1 of the encoding).
    private static let domain = "heimdall.event.file.v1"

    /// First 32 lowercase hex characters of SHA-256 over a length-prefixed encoding of a
    /// domain tag, `source`, the file identity (device, inode, generation), `offset` and
    /// `line` (UTF-8). Re-reading the same line at the same position gives the same id; the
    /// same text at another offset, file or generation gives another.
    ///
    /// Each field is its length as a big-endian `UInt64` followed by its bytes (integers are
    /// 8 big-endian bytes), written into one buffer and hashed in one call.
    public static func id(source: String, fileIdentity: FileIdentity, offset: UInt64, line: String) -> String {
        var encoding: [UInt8] = []
        encoding.reserveCapacity(8 * 11 + domain.utf8.count + source.utf8.count + line.utf8.count)
        appendField(domain.utf8, to: &encoding)
        appendField(source.utf8, to: &encoding)
        appendField(fileIdentity.device, to: &encoding)
        appendField(fileIdentity.inode, to: &encoding)
        appendField(fileIdentity.generation, to: &encoding)
        appendField(offset, to: &encoding)
        appendField(line.utf8, to: &encoding)
        return hex(SHA256Digest.hash(encoding).prefix(16))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lowercase hex of `bytes` (what `hexString` gives), written straight into the string.
    private static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            var position = 0
            for byte in bytes {
                out[position] = hexDigits[Int(byte >> 4)]
                out[position + 1] = hexDigits[Int(byte & 0x0f)]
                position += 2
            }
            return position
        }
    }

    private static func appendField(_ bytes: String.UTF8View, to encoding: inout [UInt8]) {
        appendInteger(UInt64(bytes.count), to: &encoding)
        if bytes.withContiguousStorageIfAvailable({ encoding.append(contentsOf: $0) }) == nil {
            encoding.append(contentsOf: bytes)
        }
    }

    private static func appendField(_ value: UInt64, to encoding: inout [UInt8]) {
        appendInteger(8, to: &encoding)
        appendInteger(value, to: &encoding)
    }

    private static func appendInteger(_ value: UInt64, to encoding: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { encoding.append(contentsOf: $0) }
    }
}
