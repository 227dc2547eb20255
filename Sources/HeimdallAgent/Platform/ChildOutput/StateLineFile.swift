#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol
import HeimdallSystem

/// One line of progress in the state directory (the journald cursor, the unified-log
/// position), replaced atomically and durably with mode 0600.
///
/// Blocking file I/O; use it from one task at a time.
struct StateLineFile: Sendable {
    /// The file's full path.
    let path: String

    /// The file `fileName` inside `stateDirectory`.
    init(stateDirectory: String, fileName: String) {
        path = stateDirectory.hasSuffix("/") ? stateDirectory + fileName : stateDirectory + "/" + fileName
    }

    /// The saved line; `nil` when there is no file or it is empty.
    func load() -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let line = text.trimmingCharacters(where: \.isWhitespace)
        return line.isEmpty ? nil : line
    }

    /// Replaces the saved line (write to a temporary file, fsync, rename, fsync the directory).
    func save(_ line: String) throws(AtomicFileError) {
        try AtomicFile.write(Array((line + "\n").utf8), to: path, mode: 0o600)
    }
}
