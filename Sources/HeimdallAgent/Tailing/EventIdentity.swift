import HeimdallTLS

/// Deterministic event ids for lines read from files.
///
/// Pure functions: any thread may call them.
public enum EventIdentity {
    /// First 32 lowercase hex characters of SHA-256 over a length-prefixed encoding of a
    /// domain tag, `source`, the file identity (device, inode, generation), `offset` and
    /// `line` (UTF-8). Re-reading the same line at the same position gives the same id; the
    /// same text at another offset, file or generation gives another.
    public static func id(source: String, fileIdentity: FileIdentity, offset: UInt64, line: String) -> String {
        var encoding: [UInt8] = []
        encoding.reserveCapacity(64 + source.utf8.count + line.utf8.count)
        appendField(Array("heimdall.event.file.v1".utf8), to: &encoding)
        appendField(Array(source.utf8), to: &encoding)
        appendField(bigEndian(fileIdentity.device), to: &encoding)
        appendField(bigEndian(fileIdentity.inode), to: &encoding)
        appendField(bigEndian(fileIdentity.generation), to: &encoding)
        appendField(bigEndian(offset), to: &encoding)
        appendField(Array(line.utf8), to: &encoding)
        return String(SHA256Digest.hex(encoding).prefix(32))
    }

    private static func appendField(_ bytes: [UInt8], to encoding: inout [UInt8]) {
        encoding.append(contentsOf: bigEndian(UInt64(bytes.count)))
        encoding.append(contentsOf: bytes)
    }

    private static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }
}
