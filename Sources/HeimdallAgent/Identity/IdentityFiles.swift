#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HeimdallSystem

/// Replaces the agent's key and certificate as a pair, surviving a crash at any point.
///
/// Both new files are first written durably beside the old ones (`host.key.next`,
/// `host.pem.next`), then renamed over them, key first. A start-up ``recover(keyPath:certificatePath:)``
/// finishes an interrupted swap: with both `.next` files present it rolls forward; with only
/// the certificate's, the key was already moved, so it rolls forward too; with only the
/// key's, the certificate was never written, so the half-written pair is discarded. The
/// pair in use is therefore always one the hub issued together. Blocking file I/O.
public enum IdentityFiles {
    static func next(_ path: String) -> String { path + ".next" }

    /// Installs `keyPEM` and `certificatePEM` in place of the current pair.
    public static func install(keyPEM: String, certificatePEM: String, keyPath: String, certificatePath: String) throws {
        try AtomicFile.write(Array(keyPEM.utf8), to: next(keyPath), mode: 0o600)
        try AtomicFile.write(Array(certificatePEM.utf8), to: next(certificatePath), mode: 0o644)
        try recover(keyPath: keyPath, certificatePath: certificatePath)
    }

    /// Completes or discards a swap a crash interrupted; does nothing when none is pending.
    public static func recover(keyPath: String, certificatePath: String) throws {
        let manager = FileManager.default
        let keyPending = manager.fileExists(atPath: next(keyPath))
        let certificatePending = manager.fileExists(atPath: next(certificatePath))
        switch (keyPending, certificatePending) {
        case (true, true):
            try move(next(keyPath), over: keyPath)
            try move(next(certificatePath), over: certificatePath)
        case (false, true):
            try move(next(certificatePath), over: certificatePath)
        case (true, false):
            try manager.removeItem(atPath: next(keyPath))
        case (false, false):
            return
        }
    }

    private static func move(_ source: String, over target: String) throws {
        guard rename(source, target) == 0 else {
            throw AtomicFileError(code: .rename, path: target, errno: errno)
        }
        try AtomicFile.syncDirectory(AtomicFile.directory(of: target))
    }
}
