import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

/// The spool on real files: restart, torn tails, flipped bytes, missing segments, a full spool.
@Suite struct SpoolFileTests {
    func events(_ range: Range<Int>, padding: Int = 0) -> [SpoolRecord.Content] {
        range.map { .event(spoolEvent($0, padding: padding)) }
    }

    func ids(_ records: [SpoolRecord]) -> [Int] {
        records.compactMap { record in
            guard case .event(let event) = record.content else { return nil }
            return Int(event.id, radix: 16)
        }
    }

    /// Appends each event on its own, so each is its own block record.
    func appendOneByOne(_ spool: Spool, _ range: Range<Int>, padding: Int = 0) throws {
        for index in range { try spool.append(events(index..<(index + 1), padding: padding)) }
    }

    func segmentFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".seg") }.sorted()
    }

    @Test func aRestartSendsTheUnacknowledgedRecordsAgainAndNotTheAcknowledgedOnes() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("spool")
        do {
            let spool = try Spool(directory: path, logger: testLogger)
            #expect(try spool.append(events(0..<10)) == Array(0..<10))
            #expect(ids(spool.read(limit: 4)) == [0, 1, 2, 3])
            #expect(ids(spool.read(limit: 100)) == [4, 5, 6, 7, 8, 9])
            spool.acknowledge(through: 3)
            #expect(spool.pendingRecords == 6)
        }
        let reopened = try Spool(directory: path, logger: testLogger)
        #expect(reopened.pendingRecords == 6)
        #expect(reopened.droppedTotal == 0)
        #expect(ids(reopened.read(limit: 100)) == [4, 5, 6, 7, 8, 9])
        #expect(try reopened.append(events(10..<11)) == [10])
        #expect(ids(reopened.read(limit: 100)) == [10])
    }

    @Test func readsAndAcksCanStopInsideABlock() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("spool")
        do {
            let spool = try Spool(directory: path, logger: testLogger)
            try spool.append(events(0..<10))
            #expect(ids(spool.read(limit: 3)) == [0, 1, 2])
            #expect(ids(spool.read(limit: 4)) == [3, 4, 5, 6])
            spool.acknowledge(through: 4)
            #expect(spool.pendingRecords == 5)
            #expect(spool.unreadRecords == 3)
        }
        let reopened = try Spool(directory: path, logger: testLogger)
        #expect(reopened.pendingRecords == 5)
        #expect(ids(reopened.read(limit: 100)) == [5, 6, 7, 8, 9])
    }

    @Test func aTornTailIsCutAndNothingElseIsLost() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("spool")
        do {
            let spool = try Spool(directory: path, logger: testLogger)
            try appendOneByOne(spool, 0..<5)
        }
        let segment = try #require(segmentFiles(path).last)
        let file = path + "/" + segment
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        #expect(truncate(file, off_t(size - 10)) == 0)
        let reopened = try Spool(directory: path, logger: testLogger)
        #expect(ids(reopened.read(limit: 100)) == [0, 1, 2, 3])
        #expect(reopened.droppedTotal == 0, "a torn write was never committed at its source, so it is read again there")
        let cut = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        #expect(cut < size - 10)
    }

    @Test func aFlippedByteQuarantinesTheSegmentAndIsReported() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("spool")
        do {
            let spool = try Spool(directory: path, logger: testLogger)
            try appendOneByOne(spool, 0..<5)
        }
        let segment = try #require(segmentFiles(path).last)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path + "/" + segment)))
        let entry = SegmentScanner.scan(bytes).entries[2]
        bytes[entry.range.lowerBound + 40] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: path + "/" + segment))
        let reopened = try Spool(directory: path, logger: testLogger)
        #expect(ids(reopened.read(limit: 100)) == [0, 1, 3, 4])
        #expect(reopened.droppedTotal == 1)
        let quarantined = try FileManager.default.contentsOfDirectory(atPath: path + "/quarantine")
        #expect(quarantined.count == 1 && quarantined.first?.hasPrefix(segment) == true)
        let again = try Spool(directory: path, logger: testLogger)
        #expect(again.droppedTotal == 1, "the count is persisted, not counted twice")
        #expect(again.pendingRecords == 4)
    }

    @Test func aMissingSegmentIsCountedAsLost() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("spool")
        do {
            let spool = try Spool(directory: path, maximumBytes: 1 << 20, logger: testLogger)
            // 256 KiB segments: ~75 KB compressed records put 3 in each.
            try appendOneByOne(spool, 0..<9, padding: 100_000)
            spool.acknowledge(through: 0)
        }
        let segments = segmentFiles(path)
        #expect(segments.count >= 3)
        unlink(path + "/" + segments[1])
        let reopened = try Spool(directory: path, logger: testLogger)
        let read = ids(reopened.read(limit: 100))
        #expect(reopened.droppedTotal == Int64(8 - read.count))
        #expect(read.first == 1 && read.last == 8 && read.count < 8)
        #expect(try Spool(directory: path, logger: testLogger).droppedTotal == Int64(8 - read.count), "counted once")
    }

    @Test func aFullSpoolDropsTheOldestAndCountsIt() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("spool")
        let spool = try Spool(directory: path, maximumBytes: 1 << 20, logger: testLogger)
        for start in stride(from: 0, to: 200, by: 10) {
            try spool.append(events(start..<(start + 10), padding: 10_000))
        }
        #expect(spool.totalBytes <= 1 << 20)
        #expect(spool.droppedTotal > 0)
        #expect(Int(spool.droppedTotal) + spool.pendingRecords == 200)
        let read = ids(spool.read(limit: 1_000))
        #expect(read == Array(Int(spool.droppedTotal)..<200))
        let reopened = try Spool(directory: path, maximumBytes: 1 << 20, logger: testLogger)
        #expect(reopened.droppedTotal == spool.droppedTotal)
    }

    @Test func acknowledgingDeletesFinishedSegments() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("spool")
        let spool = try Spool(directory: path, maximumBytes: 1 << 20, logger: testLogger)
        try appendOneByOne(spool, 0..<30, padding: 30_000)
        #expect(segmentFiles(path).count >= 3)
        _ = spool.read(limit: 100)
        spool.acknowledge(through: 29)
        #expect(segmentFiles(path).count == 1)
        #expect(spool.pendingRecords == 0)
        #expect(spool.oldestUnreadSpooledAt == nil)
    }
}
