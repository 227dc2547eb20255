#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol
import Logging

/// The agent's file collectors as an ``EventSource``: tails the configured paths, turns each
/// line into an event with the parser its file name calls for, and persists the file
/// positions once the events are durable in the spool.
///
/// The mark of a batch is the full map of resume positions up to its last line, so
/// committing marks in order leaves `checkpoints.json` at exactly what the spool holds:
/// after a crash the agent re-reads from there, and the deterministic event ids make
/// whatever was spooled (or stored by the hub) already count as duplicates. Used from the
/// shipper's actor only.
public final class TailingSource: EventSource {
    public typealias Mark = [String: FilePosition]

    private let tailer: FileTailer
    private let checkpoints: CheckpointStore
    private let normalizers: [String: LineNormalizer]
    private var pending: [TailedLine] = []
    private var positions: [String: FilePosition]

    /// Loads the checkpoint from `stateDirectory` and starts following `paths` from it (a
    /// path without a checkpoint is read from its beginning).
    public init(paths: [String], stateDirectory: String, logger: Logger) {
        checkpoints = CheckpointStore(stateDirectory: stateDirectory, logger: logger)
        let loaded = checkpoints.load()
        if let problem = loaded.problem {
            logger.error("checkpoint problem; starting from the beginning of each file", metadata: ["problem": "\(problem)"])
        }
        positions = loaded.positions
        tailer = FileTailer(targets: paths.map { FileTailer.Target(path: $0) }, checkpoint: loaded.positions, logger: logger)
        normalizers = Dictionary(paths.map { ($0, LineNormalizer(parser: Self.parser(forPath: $0))) }, uniquingKeysWith: { first, _ in first })
    }

    /// The parser for a file, chosen by its name and directory (see
    /// ``ParserCatalog/sourceName(forFileName:)``): auth, syslog, web, mail, packages,
    /// firewall, Pi-hole, Windows event XML or macOS NDJSON. When the name says nothing, the
    /// file's first 64 KiB (if it can be read now) vote by their format
    /// (``ParserCatalog/sourceName(forSample:now:)``); plain syslog when that fails too.
    /// Blocking (reads up to 64 KiB); any thread.
    public static func parser(forPath path: String) -> any LineParser {
        var sample: String?
        if ParserCatalog.sourceName(forFileName: path) == nil, let bytes = OpenFile.readPrefix(of: path, maximum: 65_536) {
            sample = String(decoding: bytes, as: UTF8.self)
        }
        return ParserCatalog.parser(named: ParserCatalog.sourceName(forPath: path, sample: sample)) ?? SyslogParser()
    }

    public func read(limit: Int) throws -> (events: [Event], mark: Mark)? {
        if pending.count < limit {
            pending.append(contentsOf: tailer.poll())
        }
        guard !pending.isEmpty else { return nil }
        let taken = pending.prefix(limit)
        pending.removeFirst(taken.count)
        let now = Date()
        var events: [Event] = []
        events.reserveCapacity(taken.count)
        positions.merge(taken.resumePositions) { _, newer in newer }
        for line in taken {
            let normalizer = normalizers[line.path] ?? LineNormalizer(parser: SyslogParser())
            events.append(normalizer.event(for: line, readAt: now))
        }
        return (events, positions)
    }

    public func commit(_ mark: Mark) throws {
        try checkpoints.save(mark)
    }
}
