import Foundation
import HeimdallProtocol

/// Stores ingest batches: every batch of a call in one transaction (group commit across
/// sessions), duplicates skipped and counted per batch.
///
/// Duplicates are decided by the key (host, event id, occurred at) for events and (host,
/// taken at) for status snapshots, times at microsecond precision: a key already stored (in
/// any partition), or seen earlier in the same call, counts as a duplicate of the batch that
/// carries it; the first occurrence wins. Before its transaction a call makes the `events`
/// partitions its days need (``EventPartitions``). NUL characters, which PostgreSQL text
/// and jsonb cannot hold, are stored as U+FFFD so one odd event cannot poison a group
/// commit. Blocking: call on a pool thread with a connection that has no open transaction.
/// Keep one writer for many calls: ``Path/directCopy`` remembers conflicts.
public struct EventWriter: Sendable {
    /// How event rows travel to the server.
    public enum Path: Sendable, Hashable {
        /// One `INSERT ... SELECT FROM unnest($1::text[], ...)` with array parameters.
        case arrays
        /// `COPY` into a temporary staging table, then one `INSERT ... ON CONFLICT DO NOTHING`.
        case copy
        /// `COPY` straight into `events`. When a key is already stored the statement fails,
        /// and the transaction is rolled back and written again through ``copy``; after such
        /// a conflict the next transactions (1, 2, 4, … up to 64 after repeated conflicts)
        /// go through ``copy`` directly. Duplicates are rare (an agent resending after a
        /// reconnect), so most transactions skip the staging table and the conflict check.
        case directCopy
    }

    /// The path used; ``Path/directCopy`` by default. Measured with `heimdall-bench baseline`
    /// (docs/PERFORMANCE.md): staging + `INSERT ... ON CONFLICT` costs PostgreSQL about
    /// twice a plain COPY; ``Path/arrays`` is slower still.
    public var path: Path
    /// The partition cache; share one per database (the hub does) so known days cost nothing.
    public var partitions: EventPartitions
    private let conflicts = DirectCopyBackoff()

    /// Creates a writer; any thread may call it.
    public init(path: Path = .directCopy, partitions: EventPartitions = EventPartitions()) {
        self.path = path
        self.partitions = partitions
    }

    /// Writes `batches` in one transaction and returns one outcome per batch, in order.
    /// - Throws: ``PostgresError``; then nothing of the call is stored.
    ///
    /// Batches delivered with a revoked certificate are not stored (their outcome is
    /// `refused`): the transaction first locks the delivering certificates' rows `FOR SHARE`,
    /// so a revocation committed before it refuses the batch and one committing during it
    /// waits until the batch is stored — nothing that arrives after a revocation is stored.
    public func write(_ batches: [IngestBatch], on connection: PostgresConnection) throws -> [BatchOutcome] {
        partitions.prepare(for: batches, on: connection)
        guard path == .directCopy, conflicts.mayTryDirect() else {
            return try write(batches, through: path == .directCopy ? .copy : path, on: connection)
        }
        do {
            let onlyEvents = batches.allSatisfy { if case .events = $0.payload { true } else { false } }
            let outcomes = try onlyEvents ? writeDirectInOneQuery(batches, on: connection) : write(batches, through: .directCopy, on: connection)
            conflicts.succeeded()
            return outcomes
        } catch let error as PostgresError where error.code == .uniqueViolation {
            conflicts.conflicted()
            return try write(batches, through: .copy, on: connection)
        }
    }

    private func write(_ batches: [IngestBatch], through path: Path, on connection: PostgresConnection) throws -> [BatchOutcome] {
        try connection.transaction { connection in
            let accepted = AcceptedBatches(batches, revoked: try Self.revokedSerials(among: batches, on: connection))
            let plan = accepted.plan
            let events: IngestPlan.StoredEvents
            switch path {
            case .arrays: events = .only(try EventRowsInsert.arrays(plan.events, on: connection))
            case .copy: events = .only(try EventRowsInsert.copy(plan.events, on: connection))
            case .directCopy:
                try EventRowsInsert.copyDirect(plan.events, on: connection)
                events = .all
            }
            let stored = plan.outcomes(storedEvents: events, storedSnapshots: try EventRowsInsert.snapshots(plan.snapshots, on: connection))
            return accepted.outcomes(stored)
        }
    }

    /// ``Path/directCopy`` for a call of event batches only: the revocation check (`FOR
    /// SHARE`) and the COPY travel as one query, one implicit transaction — two round trips
    /// where `BEGIN`, the check, the COPY and `COMMIT` take five.
    private func writeDirectInOneQuery(_ batches: [IngestBatch], on connection: PostgresConnection) throws -> [BatchOutcome] {
        let serials = PostgresArrayLiteral.encode(Array(Set(batches.map(\.certificateSerial))))
        let check = "SELECT serial, status FROM certificates WHERE serial = ANY(\(try connection.literal(serials))::text[]) FOR SHARE"
        var accepted: AcceptedBatches?
        try EventRowsInsert.copyDirect(after: check, on: connection) { rows in
            let batches = AcceptedBatches(batches, revoked: Self.revokedSerials(in: rows))
            accepted = batches
            return batches.plan.events
        }
        guard let accepted else { throw PostgresError(.copyFailed, message: "the COPY ended before its rows were chosen") }
        return accepted.outcomes(accepted.plan.outcomes(storedEvents: .all, storedSnapshots: []))
    }

    /// The COPY text a direct write of `batches` sends for their events (in-call
    /// duplicates removed); for the codec micro-benchmark.
    public static func copyText(for batches: [IngestBatch]) -> [UInt8] {
        EventRowsInsert.copyText(IngestPlan(batches).events)
    }

    /// The delivering serials that are revoked, with every delivering certificate's row
    /// share-locked until the transaction ends.
    static func revokedSerials(among batches: [IngestBatch], on connection: PostgresConnection) throws -> Set<String> {
        let serials = Array(Set(batches.map(\.certificateSerial)))
        guard !serials.isEmpty else { return [] }
        let rows = try connection.query(
            "SELECT serial, status FROM certificates WHERE serial = ANY($1) FOR SHARE", [.stringArray(serials)]
        )
        return revokedSerials(in: rows)
    }

    /// The revoked serials among rows of `serial, status`.
    static func revokedSerials(in rows: PostgresRows) -> Set<String> {
        Set(rows.compactMap { $0.string("status") == "revoked" ? $0.string("serial") : nil })
    }
}

/// The batches of a write call whose certificates are not revoked, planned together.
struct AcceptedBatches {
    /// The accepted batches' rows.
    let plan: IngestPlan
    private let positions: [Int]
    private let count: Int

    init(_ batches: [IngestBatch], revoked: Set<String>) {
        positions = batches.indices.filter { !revoked.contains(batches[$0].certificateSerial) }
        count = batches.count
        plan = IngestPlan(positions.map { batches[$0] })
    }

    /// One outcome per batch of the call: the plan's outcomes for accepted batches, refused
    /// for the others.
    func outcomes(_ planned: [BatchOutcome]) -> [BatchOutcome] {
        var outcomes = Array(repeating: BatchOutcome(refused: true), count: count)
        for (position, index) in positions.enumerated() { outcomes[index] = planned[position] }
        return outcomes
    }
}

/// The rows of one write call after removing in-call duplicates.
struct IngestPlan {
    struct EventKey: Hashable {
        var hostID: String
        var eventID: String
        /// `occurred_at` in whole microseconds (part of the key: `events` is partitioned by it).
        var microseconds: Int64
    }

    struct SnapshotKey: Hashable {
        var hostID: String
        var microseconds: Int64
    }

    struct EventRow {
        var batch: Int
        var key: EventKey
        var event: Event
        var origin: IngestOrigin
        var receivedAt: Date
    }

    struct SnapshotRow {
        var batch: Int
        var key: SnapshotKey
        var takenAt: Date
        var metrics: JSONValue
        var origin: IngestOrigin
        var receivedAt: Date
    }

    var events: [EventRow] = []
    var snapshots: [SnapshotRow] = []
    var inCallDuplicates: [Int]

    init(_ batches: [IngestBatch]) {
        inCallDuplicates = Array(repeating: 0, count: batches.count)
        var seenEvents = Set<EventKey>()
        var seenSnapshots = Set<SnapshotKey>()
        for (index, batch) in batches.enumerated() {
            switch batch.payload {
            case .events(let list):
                for event in list {
                    let key = EventKey(hostID: batch.hostID, eventID: event.id, microseconds: Self.microseconds(event.timestamp))
                    if seenEvents.insert(key).inserted {
                        events.append(EventRow(
                            batch: index, key: key, event: NULSafe.event(event), origin: batch.origin, receivedAt: batch.receivedAt
                        ))
                    } else {
                        inCallDuplicates[index] += 1
                    }
                }
            case .status(let takenAt, let metrics):
                let key = SnapshotKey(hostID: batch.hostID, microseconds: Self.microseconds(takenAt))
                if seenSnapshots.insert(key).inserted {
                    snapshots.append(SnapshotRow(
                        batch: index, key: key, takenAt: takenAt, metrics: NULSafe.json(metrics), origin: batch.origin,
                        receivedAt: batch.receivedAt
                    ))
                } else {
                    inCallDuplicates[index] += 1
                }
            }
        }
    }

    /// The instant as whole microseconds since 1970, as `timestamptz` keeps it.
    static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// Which planned event rows the database stored.
    enum StoredEvents {
        /// Every row (a COPY straight into the table succeeded).
        case all
        /// The rows with these keys (the others were already stored).
        case only(Set<EventKey>)

        func contains(_ key: EventKey) -> Bool {
            switch self {
            case .all: true
            case .only(let keys): keys.contains(key)
            }
        }
    }

    func outcomes(storedEvents: StoredEvents, storedSnapshots: Set<SnapshotKey>) -> [BatchOutcome] {
        var outcomes = inCallDuplicates.map { BatchOutcome(stored: 0, duplicates: $0) }
        for row in events {
            if storedEvents.contains(row.key) { outcomes[row.batch].stored += 1 } else { outcomes[row.batch].duplicates += 1 }
        }
        for row in snapshots {
            if storedSnapshots.contains(row.key) { outcomes[row.batch].stored += 1 } else { outcomes[row.batch].duplicates += 1 }
        }
        return outcomes
    }
}

/// Replaces NUL (U+0000) with U+FFFD in everything stored as text or jsonb.
enum NULSafe {
    static func string(_ text: String) -> String {
        containsNUL(text) ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
    }

    static func containsNUL(_ event: Event) -> Bool {
        containsNUL(event.message) || containsNUL(event.source) || (event.raw.map(containsNUL) ?? false)
            || event.fields.contains { containsNUL($0.key) || containsNUL($0.value) }
    }

    static func containsNUL(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): containsNUL(text)
        case .array(let elements): elements.contains(where: containsNUL)
        case .object(let members): members.contains { containsNUL($0.key) || containsNUL($0.value) }
        default: false
        }
    }

    /// `memchr` over the contiguous UTF-8 of native strings (a byte-wise loop otherwise).
    static func containsNUL(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0, bytes.count) != nil
        } ?? text.utf8.contains(0)
    }

    static func json(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): return .string(string(text))
        case .array(let elements): return .array(elements.map(json))
        case .object(let members):
            return .object(Dictionary(members.map { (string($0.key), json($0.value)) }, uniquingKeysWith: { first, _ in first }))
        default: return value
        }
    }

    static func event(_ event: Event) -> Event {
        guard containsNUL(event) else { return event }
        var safe = event
        safe.message = string(event.message)
        safe.source = string(event.source)
        safe.raw = event.raw.map(string)
        safe.fields = event.fields.isEmpty ? event.fields : (json(.object(event.fields)).objectValue ?? [:])
        return safe
    }
}
