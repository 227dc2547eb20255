#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallSystem

/// The journald cursor of the last record the hub acknowledged, in
/// `<state dir>/journald.cursor` (one line, replaced atomically and durably, mode 0600).
///
/// Not thread-safe: use it from one task at a time (blocking file I/O).
public struct JournalCursorStore: Sendable {
    /// The file name used inside the state directory.
    public static let fileName = "journald.cursor"

    private let file: StateLineFile

    /// The cursor file's full path.
    public var path: String { file.path }

    /// A store for `<stateDirectory>/journald.cursor`.
    public init(stateDirectory: String) {
        file = StateLineFile(stateDirectory: stateDirectory, fileName: Self.fileName)
    }

    /// The saved cursor; `nil` on a first run (no file) or when the file is empty.
    public func load() -> String? {
        file.load()
    }

    /// Replaces the saved cursor.
    ///
    /// - Throws: ``SystemLogError`` with code ``SystemLogError/Code/cursorSaveFailed``.
    public func save(_ cursor: String) throws(SystemLogError) {
        do {
            try file.save(cursor)
        } catch {
            throw SystemLogError(code: .cursorSaveFailed, detail: "\(error)")
        }
    }
}
