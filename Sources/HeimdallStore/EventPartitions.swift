import Foundation
import HeimdallProtocol
import Logging
import Synchronization

/// Makes sure `events` has a partition (`events_YYYYMMDD`) for the UTC days rows are about
/// to arrive for, so they do not pile up in `events_default`.
///
/// The write path calls ``prepare(for:now:on:)`` before each transaction: days already known
/// to exist cost nothing (an in-memory set); a new day inside the on-demand window (from
/// ``onDemandPastDays`` ago to ``onDemandFutureDays`` ahead) gets its partition made in a
/// short transaction of its own, serialized between processes by an advisory lock. Days
/// outside the window (broken clocks) are stored in `events_default`, so a wild timestamp
/// can neither be lost nor create thousands of partitions. Thread-safe; the methods taking
/// a connection block (call them on a pool thread, with no transaction open).
public final class EventPartitions: Sendable {
    /// The advisory lock serializing partition creation and retention between processes
    /// ("HeimPart" in ASCII).
    public static let lockKey: Int64 = 0x4865_696D_5061_7274
    /// How far back a day still gets its own partition on demand.
    public static let onDemandPastDays = 31
    /// How far ahead a day gets its own partition on demand.
    public static let onDemandFutureDays = 2
    /// The days ``createAhead(now:on:)`` makes, relative to today: yesterday to two days ahead.
    public static let aheadDays = -1...2

    private let known = Mutex<Set<Int>>([])
    private let logger: Logger

    /// Creates an empty cache; any thread may call it.
    public init(logger: Logger = Logger(label: "heimdall.store")) {
        self.logger = logger
    }

    /// Best effort before writing `batches`: makes the partitions of their events' days
    /// that are inside the on-demand window and not known yet. Never throws: a day whose
    /// partition cannot be made now (e.g. a lock wait over 2 s) is logged and its rows go
    /// to `events_default`, from where a later creation of that day moves them.
    public func prepare(for batches: [IngestBatch], now: Date = Date(), on connection: PostgresConnection) {
        let days = missingDays(in: Self.timestamps(of: batches), today: UTCDay(containing: now))
        guard !days.isEmpty else { return }
        do {
            try create(days, on: connection)
        } catch {
            logger.warning("could not create an events partition; its rows go to events_default for now", metadata: [
                "days": "\(days.map(\.description))", "error": "\(error)",
            ])
        }
    }

    /// Makes the partitions from yesterday to two days ahead (``aheadDays``), so the first
    /// rows of a new day find theirs ready. Blocking.
    /// - Throws: ``PostgresError``.
    @discardableResult
    public func createAhead(now: Date = Date(), on connection: PostgresConnection) throws -> [UTCDay] {
        let today = UTCDay(containing: now)
        return try create(Self.aheadDays.map { today.adding(days: $0) }, on: connection)
    }

    /// Makes the partitions of `days` that do not exist yet (any day, inside the window or
    /// not), each in its own short transaction, and returns the days it created. Rows of
    /// those days already in `events_default` move into the new partition.
    /// - Throws: ``PostgresError``; the days made before the failure stay made.
    @discardableResult
    public func create(_ days: [UTCDay], on connection: PostgresConnection) throws -> [UTCDay] {
        var created: [UTCDay] = []
        for day in days where !isKnown(day) {
            let made = try connection.transaction { connection in
                try connection.execute("SET LOCAL lock_timeout = '2s'")
                return try connection.query(
                    "SELECT \(SchemaV5.partitionFunction)($1::date) AS made", [.string(day.description)]
                ).first?.bool("made") ?? false
            }
            remember([day])
            if made {
                created.append(day)
                logger.info("created events partition", metadata: ["partition": "\(day.partitionName)"])
            }
        }
        return created
    }

    /// Forgets days whose partitions were dropped (by retention), so they are checked again.
    public func forget(_ days: [UTCDay]) {
        known.withLock { known in days.forEach { known.remove($0.number) } }
    }

    /// Records days whose partitions exist.
    func remember(_ days: [UTCDay]) {
        known.withLock { known in days.forEach { known.insert($0.number) } }
    }

    /// The days of `timestamps` inside the on-demand window around `today` that are not
    /// known to have a partition, ascending. Pure apart from reading the cache.
    func missingDays(in timestamps: some Sequence<Date>, today: UTCDay) -> [UTCDay] {
        let window = (today.number - Self.onDemandPastDays)...(today.number + Self.onDemandFutureDays)
        var days = Set<Int>()
        var last: Int?
        for timestamp in timestamps {
            let day = UTCDay(containing: timestamp).number
            if day != last, window.contains(day) { days.insert(day) }
            last = day
        }
        guard !days.isEmpty else { return [] }
        let missing = known.withLock { days.subtracting($0) }
        return missing.sorted().map(UTCDay.init(number:))
    }

    private func isKnown(_ day: UTCDay) -> Bool {
        known.withLock { $0.contains(day.number) }
    }

    private static func timestamps(of batches: [IngestBatch]) -> some Sequence<Date> {
        batches.lazy.flatMap { batch -> [Event] in
            if case .events(let events) = batch.payload { return events }
            return []
        }.map(\.timestamp)
    }
}
