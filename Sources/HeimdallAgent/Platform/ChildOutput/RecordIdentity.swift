import HeimdallTLS

/// Deterministic event ids for records read from a system log (journald, the macOS unified
/// log, the Windows event log): the same record read again, after a restart or by a
/// catch-up query, gets the same id, so the hub stores it once.
///
/// Pure functions: any thread may call them.
enum RecordIdentity {
    /// First 32 lowercase hex characters of SHA-256 over the parts, each prefixed with its
    /// UTF-8 length as a big-endian 64-bit number (so no two part lists collide by
    /// concatenation). The first part should be a versioned domain tag.
    static func id(parts: [String]) -> String {
        var encoding: [UInt8] = []
        for part in parts {
            let bytes = Array(part.utf8)
            let count = UInt64(bytes.count)
            encoding.append(contentsOf: (0..<8).map { UInt8(truncatingIfNeeded: count >> (56 - 8 * $0)) })
            encoding.append(contentsOf: bytes)
        }
        return String(SHA256Digest.hex(encoding).prefix(32))
    }
}
