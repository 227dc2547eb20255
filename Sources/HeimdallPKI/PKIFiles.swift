import Foundation

/// File helpers for public material (certificates). Blocking: not on an event loop.
enum PKIFiles {
    /// Creates `directory` (and parents) with mode 0700 when missing.
    static func makeDirectory(_ directory: String) throws(PKIError) {
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw PKIError(code: .io, message: "cannot create directory \(directory): \(error.localizedDescription)")
        }
    }

    /// Writes a certificate atomically, mode 0644.
    static func writePublic(_ text: String, to path: String) throws(PKIError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        } catch {
            throw PKIError(code: .io, message: "cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Reads a text file.
    static func readText(_ path: String) throws(PKIError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PKIError(code: .io, message: "cannot read \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
