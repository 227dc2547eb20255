import Foundation
import HeimdallProtocol
import HeimdallStore
import Logging

/// What PostgreSQL alone does with the same rows the hub stores: the ratio `hub / baseline`
/// is the headline of every load report.
public enum BaselineRunner {
    /// Rows per second of each direct path.
    public struct Result: Sendable {
        /// ``EventWriter`` (the hub's own group-commit path: a COPY straight into `events`,
        /// falling back to staging + INSERT … ON CONFLICT on a stored key), `batchSize` rows
        /// per transaction.
        public var storePathRowsPerSecond: Double
        /// One COPY of every row straight into `events`, one transaction (no dedupe step).
        public var copyRowsPerSecond: Double
        public var rows: Int
    }

    /// Writes `rows` generated events twice (distinct ids each time) and times both paths.
    /// The events' day partition is made before timing (as the hub makes today's ahead), and
    /// one writer, with one partition cache, serves every batch (as in the hub).
    public static func run(database: Database, rows: Int, batchSize: Int, run: String) async throws -> Result {
        let factory = EventFactory(run: run)
        let session = UUID()
        let batches = stride(from: 0, to: rows, by: batchSize).map { first in
            IngestBatch(
                hostID: "baseline-\(run)", sessionID: session, certificateSerial: "BA5E", certificateFingerprint: String(repeating: "0", count: 64),
                receivedAt: Date(), payload: .events(factory.events(session: 1, first: UInt64(first), count: min(batchSize, rows - first)))
            )
        }
        let partitions = EventPartitions()
        let days = Set(batches.flatMap { batch -> [UTCDay] in
            guard case .events(let events) = batch.payload else { return [] }
            return events.map { UTCDay(containing: $0.timestamp) }
        })
        _ = try await database.withConnection { try partitions.create(days.sorted(), on: $0) }
        let writer = EventWriter(partitions: partitions)
        let clock = ContinuousClock()
        let storeStart = clock.now
        for batch in batches {
            _ = try await database.withConnection { try writer.write([batch], on: $0) }
        }
        let storeSeconds = seconds(clock.now - storeStart)

        let copyRows = factory.events(session: 2, first: 0, count: rows).map { event in
            [
                "baseline-\(run)", event.id, RFC3339.format(event.timestamp), RFC3339.format(Date()), event.category.rawValue,
                event.severity.rawValue, event.source, event.message, JSONValue.object(event.fields).jsonText(), event.raw,
                "BA5E", String(repeating: "0", count: 64), session.uuidString,
            ] as [String?]
        }
        let copyStart = clock.now
        try await database.withConnection { connection in
            try connection.transaction { connection in
                _ = try connection.copyIn("""
                    COPY events (host_id, event_id, occurred_at, received_at, category, severity, source, message, fields, raw,
                                 cert_serial, cert_fingerprint, session_id) FROM STDIN
                    """, rows: copyRows)
            }
        }
        let copySeconds = seconds(clock.now - copyStart)
        return Result(storePathRowsPerSecond: Double(rows) / storeSeconds, copyRowsPerSecond: Double(rows) / copySeconds, rows: rows)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
