import Foundation
import HeimdallStore
import Logging

/// The hub's hourly storage chores: `events` partitions made ahead (yesterday to two days
/// ahead) and, when `retention_days` is set, expired partitions and rows removed
/// (``DataRetention``). Runs at start and every interval; failures are logged and retried
/// at the next run. Thread-safe.
final class StorageMaintenance: Sendable {
    private let database: Database
    private let partitions: EventPartitions
    private let retention: DataRetention?
    private let hubID: String
    private let logger: Logger

    /// `retentionDays` 0 keeps everything.
    init(database: Database, partitions: EventPartitions, retentionDays: Int, hubID: String, logger: Logger) {
        self.database = database
        self.partitions = partitions
        self.retention = retentionDays > 0 ? DataRetention(days: retentionDays) : nil
        self.hubID = hubID
        self.logger = logger
    }

    /// Runs now and then every `interval`, until cancelled.
    func run(every interval: Duration) async {
        if let retention {
            logger.info("retention on: events and status snapshots older than \(retention.days) days are removed hourly")
        } else {
            logger.info("retention off: events and status snapshots are kept (database.retention_days = 0)")
        }
        while !Task.isCancelled {
            await runOnce()
            try? await Task.sleep(for: interval)
        }
    }

    /// One pass: partitions ahead, then retention. Returns what retention removed (nil when
    /// it is off or failed).
    @discardableResult
    func runOnce(now: Date = Date()) async -> RetentionReport? {
        let partitions = partitions
        do {
            _ = try await database.withConnection { try partitions.createAhead(now: now, on: $0) }
        } catch {
            logger.warning("could not create the events partitions ahead", metadata: ["error": "\(error)"])
        }
        guard let retention else { return nil }
        let hubID = hubID
        do {
            let report = try await database.withConnection { try retention.apply(now: now, hubID: hubID, on: $0) }
            partitions.forget(report.droppedPartitions.compactMap(UTCDay.init(partitionName:)))
            if !report.isEmpty {
                logger.notice("retention removed expired data", metadata: [
                    "cutoff": "\(PostgresTimestamp.format(report.cutoff))", "dropped_partitions": "\(report.droppedPartitions)",
                    "deleted_default_events": "\(report.deletedDefaultEvents)", "deleted_snapshots": "\(report.deletedSnapshots)",
                ])
            }
            return report
        } catch {
            logger.warning("retention pass failed; retrying at the next run", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
