#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol
import Logging

/// The agent's bounded on-disk spool of everything not yet acknowledged by the hub: events
/// and status snapshots in checksummed segment files under `<state dir>/spool/`
/// (format: ``SpoolFormat``; bookkeeping: ``SpoolLedger``; start-up: ``SpoolRecoveryPlan``).
///
/// ``append(_:now:)`` returns once the records are `fsync`ed; ``read(limit:)`` hands out
/// records not yet read, oldest first; ``acknowledge(through:)`` releases records and
/// deletes segments that hold nothing unacknowledged. When full, whole oldest segments are
/// dropped and their unacknowledged records counted in ``droppedTotal``.
///
/// Blocking file I/O: use it from one task or actor at a time (the shipper's actor).
public final class Spool {
    /// The default bound on all segment bytes: 256 MiB.
    public static let defaultMaximumBytes = 256 * 1_048_576

    private let files: SegmentFiles
    private let logger: Logger
    private var ledger: SpoolLedger
    private var activeFD: Int32
    private var activeNumber: UInt32

    /// Opens (creating if needed) the spool in `directory` and recovers what a previous run
    /// left (see ``SpoolRecoveryPlan``): torn tails are cut, damaged segments quarantined and
    /// reported in the log and in ``droppedTotal``. Never fails for damaged content.
    /// - Throws: ``SpoolError`` when the directory cannot be created or listed or a segment
    ///   cannot be created.
    public init(directory: String, maximumBytes: Int = Spool.defaultMaximumBytes, logger: Logger, now: Date = Date()) throws(SpoolError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw SpoolError(.directory, path: directory, "\(error)")
        }
        let files = SegmentFiles(directory: directory)
        let opened = try SpoolRecoveryRunner.recover(files: files, maximumBytes: max(1_048_576, maximumBytes), logger: logger, now: now)
        self.files = files
        self.logger = logger
        self.ledger = opened.ledger
        self.activeNumber = opened.segment
        self.activeFD = opened.descriptor
        logger.info("spool ready", metadata: [
            "spool": "\(directory)", "pending": "\(ledger.pendingRecords)", "segments": "\(ledger.segments.count)",
            "maximum_bytes": "\(ledger.maximumBytes)",
        ])
    }

    /// After a failed write the files and the bookkeeping may disagree: the spool is read
    /// again from disk (a partial record is cut as a torn tail; records already handed out
    /// are handed out again, which the hub counts as duplicates).
    private func reopen(after error: SpoolError) throws(SpoolError) {
        logger.error("spool write failed; re-reading the spool from disk", metadata: ["error": "\(error)"])
        persistState()
        if activeFD >= 0 {
            close(activeFD)
            activeFD = -1
        }
        let opened = try SpoolRecoveryRunner.recover(files: files, maximumBytes: ledger.maximumBytes, logger: logger, now: Date())
        ledger = opened.ledger
        activeNumber = opened.segment
        activeFD = opened.descriptor
    }

    deinit { close(activeFD) }

    /// Records not acknowledged (events and status snapshots).
    public var pendingRecords: Int { ledger.pendingRecords }
    /// Records not yet handed out by ``read(limit:)``.
    public var unreadRecords: Int { ledger.unreadRecords }
    /// When the oldest unread record was spooled (see ``SpoolLedger/oldestUnreadSpooledAt``).
    public var oldestUnreadSpooledAt: Date? { ledger.oldestUnreadSpooledAt }
    /// Records dropped because the spool was full or lost to damage, since the spool was created.
    public var droppedTotal: Int64 { ledger.droppedTotal }
    /// All segment bytes.
    public var totalBytes: Int { ledger.totalBytes }
    /// The bookkeeping, for tests and diagnostics.
    public var snapshot: SpoolLedger { ledger }

    /// Writes `contents` as new records and `fsync`s them; returns their sequence numbers (a
    /// record above ``SpoolFormat/maximumBodyLength`` is logged, counted as dropped and
    /// skipped).
    /// - Throws: ``SpoolError`` when writing or `fsync` failed (e.g. the disk is full): the
    ///   caller must not commit its source and should retry later. The spool is then re-read
    ///   from disk, so a partial write never stays in the middle of a segment.
    @discardableResult
    public func append(_ contents: [SpoolRecord.Content], now: Date = Date()) throws(SpoolError) -> [UInt64] {
        if activeFD < 0 { try reopen(after: SpoolError(.open, path: files.path(activeNumber), "no segment open for writing")) }
        do {
            return try write(contents, now: now)
        } catch {
            do {
                try reopen(after: error)
            } catch {
                logger.error("spool could not be re-read; retrying at the next append", metadata: ["error": "\(error)"])
            }
            throw error
        }
    }

    /// Items per block, and uncompressed bytes after which a block is closed.
    static let blockItems = 500
    static let blockBytes = 1_048_576

    private func write(_ contents: [SpoolRecord.Content], now: Date) throws(SpoolError) -> [UInt64] {
        var pending: [UInt8] = []
        var numbers: [UInt64] = []
        var dropped = false
        var builder = SpoolFormat.BlockBuilder()
        for (index, content) in contents.enumerated() {
            builder.add(content)
            guard builder.count >= Self.blockItems || builder.byteCount >= Self.blockBytes || index == contents.count - 1 else { continue }
            defer { builder = SpoolFormat.BlockBuilder() }
            let encoded: [UInt8]
            do {
                encoded = try builder.finish(firstSequence: ledger.nextSequence, spooledAt: now)
            } catch {
                ledger.countDropped(builder.count)
                logger.error("block too large for the spool; dropped", metadata: ["error": "\(error)"])
                continue
            }
            let (first, actions) = ledger.append(recordBytes: encoded.count, count: builder.count, spooledAt: now)
            if !actions.isEmpty {
                try files.write(activeFD, pending, path: files.path(activeNumber))
                pending.removeAll(keepingCapacity: true)
                if actions.contains(where: { if case .delete = $0 { true } else { false } }) {
                    dropped = true
                    persistState()
                }
                try perform(actions)
            }
            numbers.append(contentsOf: first..<(first + UInt64(builder.count)))
            pending.append(contentsOf: encoded)
        }
        try files.write(activeFD, pending, path: files.path(activeNumber))
        try files.sync(activeFD, path: files.path(activeNumber))
        if dropped {
            logger.warning("spool full; oldest records dropped", metadata: ["dropped_total": "\(ledger.droppedTotal)"])
        }
        return numbers
    }

    /// Up to `limit` records not yet read, oldest first. A record that cannot be read back
    /// is logged and counted as dropped; the rest of a segment that turned unreadable is too.
    public func read(limit: Int) -> [SpoolRecord] {
        var records: [SpoolRecord] = []
        while records.count < limit, let target = ledger.readTarget() {
            do {
                let (batch, consumed) = try readRecords(target, limit: limit - records.count)
                records.append(contentsOf: batch)
                ledger.read(through: batch.last?.sequenceNumber, nextOffset: target.offset + consumed)
            } catch {
                let lost = ledger.abandonUnreadRecords(inSegment: target.segment)
                logger.error("spool segment unreadable; its unread records are counted as dropped", metadata: [
                    "error": "\(error)", "dropped": "\(lost)",
                ])
                persistState()
            }
        }
        return records
    }

    /// The hub stored every record up to `sequenceNumber`: they are released, the state
    /// file is updated and segments holding nothing unacknowledged are deleted.
    public func acknowledge(through sequenceNumber: UInt64) {
        let actions = ledger.acknowledge(through: sequenceNumber)
        persistState()
        do {
            try perform(actions)
        } catch {
            logger.error("could not delete an acknowledged spool segment", metadata: ["error": "\(error)"])
        }
    }

    private func readRecords(_ target: (segment: UInt32, offset: Int, end: Int), limit: Int) throws(SpoolError) -> ([SpoolRecord], Int) {
        let chunk = min(target.end - target.offset, 256 * 1024)
        var bytes = try files.read(target.segment, offset: target.offset, count: chunk)
        var records: [SpoolRecord] = []
        var position = 0
        while records.count < limit, position + SpoolFormat.recordHeaderLength <= bytes.count {
            let length = Int(SpoolFormat.readInteger(bytes, at: position) as UInt32)
            let end = position + SpoolFormat.recordHeaderLength + length
            guard length >= SpoolFormat.bodyPrefixLength, length <= SpoolFormat.maximumBodyLength,
                  target.offset + end <= target.end else {
                throw SpoolError(.invalidRecord, path: files.path(target.segment), "bad record length at offset \(target.offset + position)")
            }
            if end > bytes.count {
                guard position == 0 else { break }
                bytes = try files.read(target.segment, offset: target.offset, count: end)
                guard bytes.count == end else { throw SpoolError(.invalidRecord, path: files.path(target.segment), "short read") }
            }
            let body = bytes[(position + SpoolFormat.recordHeaderLength)..<end]
            let checksum: UInt32 = SpoolFormat.readInteger(bytes, at: position + 4)
            guard CRC32C.checksum(body) == checksum else {
                throw SpoolError(.invalidRecord, path: files.path(target.segment), "checksum mismatch at offset \(target.offset + position)")
            }
            do {
                let fresh = try SpoolFormat.decodeBody(body).filter { $0.sequenceNumber >= ledger.framed }
                let room = limit - records.count
                if fresh.count > room {
                    // Part of a block: the rest is read again from its start next time.
                    records.append(contentsOf: fresh.prefix(room))
                    break
                }
                records.append(contentsOf: fresh)
            } catch {
                ledger.countDropped(SpoolFormat.itemCount(body))
                logger.error("spool record unreadable; dropped", metadata: ["error": "\(error)"])
            }
            position = end
        }
        return (records, position)
    }

    private func perform(_ actions: [SpoolLedger.Action]) throws(SpoolError) {
        for action in actions {
            switch action {
            case .seal(let number):
                try files.sync(activeFD, path: files.path(number))
                close(activeFD)
                activeFD = -1
            case .create(let number):
                activeFD = try files.create(number)
                activeNumber = number
            case .delete(let number):
                files.delete(number)
            }
        }
    }

    private func persistState() {
        do {
            try files.writeState(SpoolState(acknowledged: ledger.acknowledged, droppedTotal: ledger.droppedTotal, countedHoles: ledger.countedHoles.filter { $0.upperBound >= ledger.acknowledged }))
        } catch {
            logger.error("could not save the spool state", metadata: ["error": "\(error)"])
        }
    }
}
