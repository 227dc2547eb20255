import HeimdallProtocol
import NIOPosix

/// Samples the system and turns consecutive samples into `status` metrics.
///
/// Keeps the previous reading, so the first ``collect()`` only primes it (its CPU
/// percentages and rates are `null`); every later one covers the time since the one
/// before. The blocking reads run on NIO's blocking thread pool (a hung `statvfs` on a
/// dead network mount stalls that thread, not the event loops or the cooperative pool).
/// Not thread-safe: owned by one task.
public final class SystemStatusCollector {
    private let reader: SystemReader
    private let agentVersion: String
    private let topCount: Int
    private let pool: NIOThreadPool
    private var previous: StatusReadings?

    /// `topCount` processes are listed by CPU and by RSS.
    public init(
        reader: SystemReader = SystemReader(), agentVersion: String = Agent.version, topCount: Int = 10,
        pool: NIOThreadPool = .singleton
    ) {
        self.reader = reader
        self.agentVersion = agentVersion
        self.topCount = topCount
        self.pool = pool
    }

    /// Reads the system now and returns the metrics since the previous call.
    public func collect() async throws -> JSONValue {
        let reader = reader
        let previous = previous
        let topCount = topCount
        let current = try await pool.runIfActive { reader.sample(previous: previous, topCount: topCount) }
        let metrics = StatusMetrics.snapshot(previous: previous, current: current, agentVersion: agentVersion, topCount: topCount)
        self.previous = current
        return metrics
    }
}

@available(*, unavailable)
extension SystemStatusCollector: Sendable {}
