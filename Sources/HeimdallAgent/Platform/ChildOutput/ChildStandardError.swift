#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// The file a reader's child process writes its standard error to, for log messages.
///
/// Blocking (reads at most the file's end); any thread.
enum ChildStandardError {
    /// The last 512 bytes of the file at `path`, trimmed; empty when there is none.
    static func tail(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data.suffix(512), as: UTF8.self).trimmingCharacters(where: \.isWhitespace)
    }
}
