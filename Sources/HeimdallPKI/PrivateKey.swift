internal import CHeimdallOpenSSL
import Foundation
import HeimdallSystem
import HeimdallTLS

/// An ECDSA P-256 private key owned by this object (freed with it).
/// Immutable after creation; OpenSSL keys may be used for signing from any thread.
public final class PrivateKey: @unchecked Sendable {
    let key: OpaquePointer

    private init(key: OpaquePointer) {
        self.key = key
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// A fresh random P-256 key. Any thread.
    public static func generateP256() throws(PKIError) -> PrivateKey {
        guard let key = heimdall_generate_p256_key() else {
            throw OpenSSLFailure.error("cannot generate a P-256 key")
        }
        return PrivateKey(key: key)
    }

    /// Parses a PEM private key (PKCS#8 or traditional). Any thread.
    public convenience init(pem: String) throws(PKIError) {
        let key = MemoryBIO.reading(pem) { PEM_read_bio_PrivateKey($0, nil, nil, nil) }
        guard let key else {
            throw OpenSSLFailure.error("not a PEM private key")
        }
        self.init(key: key)
    }

    /// Reads a PEM key file, refusing one that group or others may access.
    /// Blocking: not on an event loop.
    public static func load(path: String) throws(PKIError) -> PrivateKey {
        let loose: Bool
        do {
            loose = try SecureFile.isGroupOrWorldAccessible(path)
        } catch {
            throw PKIError(code: .io, message: "cannot read private key \(path): \(error)")
        }
        if loose {
            throw PKIError(
                code: .insecureKeyPermissions,
                message: "private key \(path) is accessible by group or others; run chmod 600"
            )
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PKIError(code: .io, message: "cannot read private key \(path)")
        }
        return try PrivateKey(pem: String(decoding: data, as: UTF8.self))
    }

    /// The key as PKCS#8 PEM ("BEGIN PRIVATE KEY"). Treat as secret.
    public var pem: String {
        MemoryBIO.written { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) == 1 }
    }

    /// Writes the PEM to `path` with mode 0600, atomically. Blocking: not on an event loop.
    public func write(to path: String, overwrite: Bool = false) throws(PKIError) {
        do {
            try SecureFile.write(text: pem, to: path, overwrite: overwrite)
        } catch {
            let code: PKIError.Code = error.code == .alreadyExists ? .alreadyInitialized : .io
            throw PKIError(code: code, message: error.description)
        }
    }
}
