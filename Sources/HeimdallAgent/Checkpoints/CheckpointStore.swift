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
import Logging

/// Why the checkpoint file could not be used or saved.
public struct CheckpointError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable identifiers of what went wrong.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's stable name.
        public var rawValue: String
        /// Wraps a raw code name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The file exists but could not be read.
        public static let unreadable = Code(rawValue: "checkpoint_unreadable")
        /// The file is not a valid checkpoint document.
        public static let corrupt = Code(rawValue: "checkpoint_corrupt")
        /// The document's version is not one this agent understands.
        public static let unsupportedVersion = Code(rawValue: "checkpoint_unsupported_version")
        /// Encoding or writing the file failed.
        public static let saveFailed = Code(rawValue: "checkpoint_save_failed")
        /// The code's stable name.
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// The checkpoint file.
    public var path: String
    /// Details (decoder or system message).
    public var detail: String

    /// Builds an error value.
    public init(code: Code, path: String, detail: String) {
        self.code = code
        self.path = path
        self.detail = detail
    }

    /// A one-line explanation.
    public var description: String { "\(code) (\(path)): \(detail)" }
}

/// Persists the safe resume position of every followed path as JSON in the state
/// directory, replacing the file atomically and durably on each save.
///
/// The store saves exactly what it is given: call ``save(_:)`` only with positions whose
/// lines are durable in the spool (the shipper commits each spooled batch's mark, in order). Not thread-safe: use it from one thread or task at a
/// time (it does blocking file I/O).
public final class CheckpointStore {
    /// The result of ``load()``: the positions, and the problem that made it start fresh.
    public struct Loaded: Sendable, Hashable {
        /// Positions per path (empty on first run or after a corrupt file).
        public var positions: [String: FilePosition]
        /// Set when an existing file could not be used; the agent starts fresh.
        public var problem: CheckpointError?
        /// Where the unusable file was moved aside, if it was.
        public var quarantinedPath: String?
    }

    /// The file name used inside the state directory.
    public static let fileName = "checkpoints.json"

    /// The checkpoint file's full path.
    public let path: String
    private let logger: Logger

    /// A store for `<stateDirectory>/checkpoints.json`.
    public init(stateDirectory: String, logger: Logger) {
        self.path = stateDirectory.hasSuffix("/") ? stateDirectory + Self.fileName : stateDirectory + "/" + Self.fileName
        self.logger = logger
    }

    /// Loads the positions. A missing file is a first run (empty, no problem). A corrupt or
    /// unreadable file is logged, moved aside to `checkpoints.json.corrupt-<unix time>`,
    /// and reported in ``Loaded/problem``; the positions are then empty.
    public func load(now: Date = Date()) -> Loaded {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
            return Loaded(positions: [:], problem: nil, quarantinedPath: nil)
        } catch {
            guard FileManager.default.fileExists(atPath: path) else {
                return Loaded(positions: [:], problem: nil, quarantinedPath: nil)
            }
            return quarantine(CheckpointError(code: .unreadable, path: path, detail: "\(error)"), now: now)
        }
        switch CheckpointDocument.decode(data, path: path) {
        case .success(let positions):
            return Loaded(positions: positions, problem: nil, quarantinedPath: nil)
        case .failure(let problem):
            return quarantine(problem, now: now)
        }
    }

    /// Replaces the saved positions with `positions` (atomically, durably, mode 0600).
    ///
    /// - Throws: ``CheckpointError`` with code ``CheckpointError/Code/saveFailed``.
    public func save(_ positions: [String: FilePosition]) throws {
        let data: Data
        do {
            data = try CheckpointDocument.encode(positions)
        } catch {
            throw CheckpointError(code: .saveFailed, path: path, detail: "\(error)")
        }
        do {
            try AtomicFile.write(data, to: path, mode: 0o600)
        } catch {
            throw CheckpointError(code: .saveFailed, path: path, detail: "\(error)")
        }
    }

    private func quarantine(_ problem: CheckpointError, now: Date) -> Loaded {
        let aside = "\(path).corrupt-\(Int(now.timeIntervalSince1970))"
        var moved: String?
        if rename(path, aside) == 0 { moved = aside }
        logger.error("checkpoint file unusable; starting without checkpoints", metadata: [
            "error": "\(problem)", "code": "\(problem.code)", "moved_to": "\(moved ?? "(not moved)")",
        ])
        return Loaded(positions: [:], problem: problem, quarantinedPath: moved)
    }
}

@available(*, unavailable)
extension CheckpointStore: Sendable {}
