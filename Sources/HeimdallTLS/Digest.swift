internal import CHeimdallOpenSSL

/// SHA-256 through the system's libcrypto. Pure function: any thread may call it.
public enum SHA256Digest {
    /// The 32-byte digest of `bytes`.
    public static func hash<Bytes: Collection>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        let input = Array(bytes)
        input.withUnsafeBufferPointer { buffer in
            digest.withUnsafeMutableBufferPointer { out in
                _ = SHA256(buffer.baseAddress, buffer.count, out.baseAddress)
            }
        }
        return digest
    }

    /// The digest of `bytes` as 64 lowercase hex characters.
    public static func hex<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        hexString(hash(bytes))
    }
}

/// Lowercase hex of `bytes`, no separators.
public func hexString<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.underestimatedCount * 2)
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}
