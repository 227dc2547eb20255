import Logging

/// Follows a set of log files and returns their complete lines, bounded per call.
///
/// Survives rotation by rename (the old file is finished through its open descriptor, then
/// the new one is read from offset 0), copy-truncate (a new generation from offset 0),
/// delete and recreate, files that appear later, partial last lines (held until their
/// newline), over-long lines (cut into pieces of ``Limits/maxLineBytes``), invalid UTF-8
/// (replacement characters) and unreadable files (a per-path ``errors`` entry; the other
/// paths keep going).
///
/// Not thread-safe: create it, call ``poll()`` and read its state from one thread or task
/// at a time (it does blocking file I/O, so run it off any event loop).
public final class FileTailer {
    /// Where a path without a checkpoint starts.
    public enum StartPosition: Sendable, Hashable {
        /// Read what the file already holds (the default).
        case beginning
        /// Skip what the file holds when the tailer starts; only new lines are read.
        case end
    }

    /// One path to follow.
    public struct Target: Sendable, Hashable {
        /// The log file's path (e.g. `/var/log/auth.log`).
        public var path: String
        /// Where to start when the checkpoint has no position for this path. A file that
        /// appears after the tailer started is always read from its beginning.
        public var start: StartPosition

        /// Builds a target; by default an uncheckpointed file is read from its beginning.
        public init(path: String, start: StartPosition = .beginning) {
            self.path = path
            self.start = start
        }
    }

    /// Bounds on one ``poll()``.
    public struct Limits: Sendable, Hashable {
        /// At most this many lines per poll.
        public var maxLines: Int
        /// At most this many bytes read from files per poll.
        public var maxBytes: Int
        /// Lines longer than this are cut into pieces of this size.
        public var maxLineBytes: Int

        /// Defaults: 1000 lines, 4 MiB, 1 MiB lines.
        public init(maxLines: Int = 1000, maxBytes: Int = 4 << 20, maxLineBytes: Int = 1 << 20) {
            self.maxLines = max(1, maxLines)
            self.maxBytes = max(1, maxBytes)
            self.maxLineBytes = max(1, maxLineBytes)
        }
    }

    private let followers: [PathFollower]
    private let limits: Limits
    private var nextStart = 0

    /// Starts following `targets`, resuming each path from `checkpoint` when it has a
    /// position for it (see ``TailDecisions`` for rotation while stopped).
    ///
    /// - Parameters:
    ///   - targets: the paths to follow (duplicates are ignored).
    ///   - checkpoint: last committed (spooled) position per path.
    ///   - limits: bounds on each poll.
    ///   - rotationGrace: how long a file rotated away (renamed or deleted) is kept open
    ///     and re-read after reaching its end, for lines its writer still appends before
    ///     reopening (rsyslog until logrotate's HUP). The new file is read after that.
    ///   - logger: where rotations and errors are reported.
    public init(
        targets: [Target], checkpoint: [String: FilePosition] = [:], limits: Limits = Limits(),
        rotationGrace: Duration = .seconds(1), logger: Logger
    ) {
        var seen = Set<String>()
        let unique = targets.filter { seen.insert($0.path).inserted }
        self.limits = limits
        self.followers = unique.map {
            PathFollower(
                target: $0, checkpoint: checkpoint[$0.path], maxLineBytes: limits.maxLineBytes,
                rotationGrace: rotationGrace, logger: logger
            )
        }
    }

    /// The followed paths, in configuration order.
    public var paths: [String] { followers.map(\.path) }

    /// Returns the complete lines available now, at most ``Limits/maxLines`` of them and
    /// reading at most ``Limits/maxBytes`` bytes; call again to get more. Lines of one path
    /// come in file order; paths take turns starting the poll so none starves.
    public func poll() -> [TailedLine] {
        var budget = PollBudget(lines: limits.maxLines, bytes: limits.maxBytes)
        var lines: [TailedLine] = []
        guard !followers.isEmpty else { return lines }
        for step in 0..<followers.count where !budget.exhausted {
            lines.append(contentsOf: followers[(nextStart + step) % followers.count].poll(budget: &budget))
        }
        nextStart = (nextStart + 1) % followers.count
        return lines
    }

    /// The paths that cannot be followed right now, with why.
    public var errors: [String: TailError] {
        var result: [String: TailError] = [:]
        for follower in followers { if let error = follower.error { result[follower.path] = error } }
        return result
    }

    /// Where a restart would resume each path from what was read so far (not what was
    /// committed), for diagnostics.
    public func readPosition(of path: String) -> FilePosition? {
        followers.first { $0.path == path }?.position
    }
}

@available(*, unavailable)
extension FileTailer: Sendable {}
