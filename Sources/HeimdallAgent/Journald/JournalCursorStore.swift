#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol
import HeimdallSystem

/// The journald cursor of the last record the hub acknowledged, in
/// `<state dir>/journald.cursor` (one line, replaced atomically and durably, mode 0600).
///
/// Not thread-safe: use it from one task at a time (blocking file I/O).
public struct JournalCursorStore: Sendable {
    /// The file name used inside the state directory.
    public static let fileName = "journald.cursor"

    /// The cursor file's full path.
    public let path: String

    /// A store for `<stateDirectory>/journald.cursor`.
    public init(stateDirectory: String) {
        path = stateDirectory.hasSuffix("/") ? stateDirectory + Self.fileName : stateDirectory + "/" + Self.fileName
    }

    /// The saved cursor; `nil` on a first run (no file) or when the file is empty.
    public func load() -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let cursor = text.trimmingCharacters(where: \.isWhitespace)
        return cursor.isEmpty ? nil : cursor
    }

    /// Replaces the saved cursor.
    ///
    /// - Throws: ``JournaldError`` with code ``JournaldError/Code/cursorSaveFailed``.
    public func save(_ cursor: String) throws(JournaldError) {
        do {
            try AtomicFile.write(Array((cursor + "\n").utf8), to: path, mode: 0o600)
        } catch {
            throw JournaldError(code: .cursorSaveFailed, detail: "\(error)")
        }
    }
}
