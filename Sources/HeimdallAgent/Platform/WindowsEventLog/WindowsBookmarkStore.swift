#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallSystem

/// The Windows event log bookmarks of the last events the hub acknowledged, per channel, in
/// `<state dir>/windows-event-log.bookmarks.json` (`{"Security": "<BookmarkList>...", ...}`,
/// the XML `EvtRender(EvtRenderBookmark)` gives; replaced atomically and durably, mode 0600).
///
/// Blocking file I/O; use it from one task at a time.
struct WindowsBookmarkStore: Sendable {
    /// The file name used inside the state directory.
    static let fileName = "windows-event-log.bookmarks.json"

    /// The file's full path.
    let path: String

    /// A store for `<stateDirectory>/windows-event-log.bookmarks.json`.
    init(stateDirectory: String) {
        path = stateDirectory.hasSuffix("/") ? stateDirectory + Self.fileName : stateDirectory + "/" + Self.fileName
    }

    /// The saved bookmarks by channel path; empty on a first run, or when the file cannot
    /// be read as such a map (then every channel starts with future events).
    func load() -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path),
              let bookmarks = try? JSONDecoder().decode([String: String].self, from: data) else { return [:] }
        return bookmarks
    }

    /// Replaces the saved bookmarks.
    ///
    /// - Throws: ``SystemLogError`` with ``SystemLogError/Code/progressSaveFailed``.
    func save(_ bookmarks: [String: String]) throws(SystemLogError) {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try AtomicFile.write(Array(try encoder.encode(bookmarks)), to: path, mode: 0o600)
        } catch {
            throw SystemLogError(code: .progressSaveFailed, detail: "\(path): \(error)")
        }
    }
}
