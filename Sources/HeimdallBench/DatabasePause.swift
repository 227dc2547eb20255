import Foundation
import HeimdallStore
import NIOCore

/// The backpressure check of a load run: after ``after``, one connection takes
/// `LOCK TABLE events IN ACCESS EXCLUSIVE MODE` and holds it for ``length``, so no group
/// transaction can store anything. Meanwhile the hub must acknowledge nothing, stop
/// reading (its memory stays bounded by the ingest watermarks), and afterwards store
/// everything once — which the run's database count checks.
public struct DatabasePause: Sendable {
    /// When to take the lock, from the start of the run.
    public var after: Duration
    /// How long to hold it.
    public var length: Duration

    public init(after: Duration, length: Duration) {
        self.after = after
        self.length = length
    }

    /// What the pause showed.
    public struct Report: Sendable {
        /// How long the lock was held.
        public var seconds: Double
        /// Acks received before the lock was released for frames sent after it was taken
        /// (none of those can have been committed: any is a broken promise). Frames sent
        /// earlier may still be acknowledged in the first moments, from commits that ended
        /// just before the lock was granted.
        public var acksWhilePaused: Int
        /// The hub's RSS just before the lock.
        public var hubRSSBefore: UInt64?
        /// The hub's largest RSS sampled (every 200 ms) while the lock was held.
        public var hubRSSPeakWhilePaused: UInt64?
    }

    /// Sleeps until ``after``, then holds the lock for ``length`` on a pool thread.
    func run(database: Database, progress: LoadProgress, hubPID: Int32?) async throws -> Report {
        try await Task.sleep(for: after)
        let before = hubPID.flatMap(ProcessSample.read(pid:))?.residentBytes
        let length = BaselineRunner.seconds(self.length)
        return try await database.withConnection { connection in
            try connection.transaction { connection in
                try connection.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE")
                progress.pauseBegins(at: .now())
                let locked = Date()
                var peak: UInt64?
                while Date().timeIntervalSince(locked) < length {
                    usleep(200_000)
                    if let rss = hubPID.flatMap(ProcessSample.read(pid:))?.residentBytes { peak = max(peak ?? 0, rss) }
                }
                progress.pauseEnds(at: .now())
                return Report(
                    seconds: Date().timeIntervalSince(locked), acksWhilePaused: progress.acksWhilePaused,
                    hubRSSBefore: before, hubRSSPeakWhilePaused: peak
                )
            }
        }
    }
}
