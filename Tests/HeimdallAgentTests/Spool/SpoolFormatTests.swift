import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

func spoolEvent(_ index: Int, padding: Int = 0) -> Event {
    Event(
        id: String(format: "%032x", index), timestamp: Date(timeIntervalSince1970: 1_800_000_000), category: .auth, severity: .medium,
        source: "linux.auth", message: "failed login \(index)", fields: ["user": .string("u\(index)")],
        raw: "line \(index)" + noise(count: padding, seed: UInt64(index))
    )
}

/// Letters that barely compress (so padded events fill segments even in blocks).
func noise(count: Int, seed: UInt64) -> String {
    let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/")
    var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    var text = ""
    text.reserveCapacity(count)
    for _ in 0..<count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        text.append(alphabet[Int(state >> 58)])
    }
    return text
}

func encodedSegment(_ records: [SpoolRecord]) throws -> [UInt8] {
    var bytes = SpoolFormat.header
    for record in records { try SpoolFormat.encode(record, into: &bytes) }
    return bytes
}

func eventRecords(_ range: Range<Int>) -> [SpoolRecord] {
    range.map { SpoolRecord(sequenceNumber: UInt64($0), spooledAt: Date(timeIntervalSince1970: 1_000 + Double($0)), content: .event(spoolEvent($0))) }
}

@Suite struct SpoolFormatTests {
    @Test func crc32cMatchesTheCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func recordsRoundTrip() throws {
        let records = eventRecords(0..<3) + [
            SpoolRecord(sequenceNumber: 3, spooledAt: Date(timeIntervalSince1970: 1_234.5), content: .status(
                takenAt: Date(timeIntervalSince1970: 1_234), metrics: .object(["cpu": .object(["user": .number(1.5)])])
            )),
        ]
        let bytes = try encodedSegment(records)
        let scan = SegmentScanner.scan(bytes)
        #expect(!scan.isCorrupt && scan.tornTailOffset == nil)
        #expect(scan.entries.map(\.sequenceNumber) == [0, 1, 2, 3])
        #expect(scan.validLength == bytes.count)
        let decoded = try scan.entries.flatMap { entry throws(SpoolError) in
            try SpoolFormat.decodeBody(bytes[(entry.range.lowerBound + 8)..<entry.range.upperBound])
        }
        #expect(decoded == records)
    }

    @Test func blocksRoundTripAndCompress() throws {
        let contents: [SpoolRecord.Content] = (0..<200).map { .event(spoolEvent($0)) } + [.status(takenAt: Date(timeIntervalSince1970: 7), metrics: .object(["load": .number(0.5)]))]
        var builder = SpoolFormat.BlockBuilder()
        for content in contents { builder.add(content) }
        let block = try builder.finish(firstSequence: 40, spooledAt: Date(timeIntervalSince1970: 1_000))
        #expect(block.count * 4 < builder.byteCount, "\(block.count) compressed from \(builder.byteCount)")
        let scan = SegmentScanner.scan(SpoolFormat.header + block)
        #expect(scan.entries.count == 1 && scan.entries.first?.count == 201 && scan.entries.first?.lastSequenceNumber == 240)
        let decoded = try SpoolFormat.decodeBody(block[SpoolFormat.recordHeaderLength...])
        #expect(decoded.map(\.content) == contents)
        #expect(decoded.map(\.sequenceNumber) == Array(40...240))
        #expect(decoded.allSatisfy { $0.spooledAt == Date(timeIntervalSince1970: 1_000) })
    }

    @Test func aTruncatedLastRecordIsATornTail() throws {
        let bytes = try encodedSegment(eventRecords(0..<5))
        for cut in [bytes.count - 1, bytes.count - 40, bytes.count - 200] {
            let scan = SegmentScanner.scan(Array(bytes.prefix(cut)))
            #expect(!scan.isCorrupt)
            #expect(scan.entries.map(\.sequenceNumber) == [0, 1, 2, 3])
            #expect(scan.tornTailOffset == scan.validLength)
        }
        #expect(SegmentScanner.scan(Array(bytes.prefix(5))).tornTailOffset == 0)
        #expect(SegmentScanner.scan([]).entries.isEmpty)
    }

    @Test func aFlippedByteInTheMiddleIsCorruptionAndTheRestIsFound() throws {
        var bytes = try encodedSegment(eventRecords(0..<5))
        let scanBefore = SegmentScanner.scan(bytes)
        let middle = scanBefore.entries[2].range
        bytes[middle.lowerBound + 30] ^= 0x40
        let scan = SegmentScanner.scan(bytes)
        #expect(scan.isCorrupt)
        #expect(scan.corruptOffsets == [middle.lowerBound])
        #expect(scan.entries.map(\.sequenceNumber) == [0, 1, 3, 4])
    }

    @Test func aForeignFileIsCorrupt() {
        let scan = SegmentScanner.scan(Array("this is not a spool segment at all".utf8))
        #expect(scan.isCorrupt)
        #expect(scan.entries.isEmpty)
    }

    @Test func stateRoundTripsAndRefusesGarbage() {
        let state = SpoolState(acknowledged: 42, droppedTotal: 7, countedHoles: [50...52, 60...60])
        #expect(SpoolState.decode(state.encoded) == state)
        #expect(SpoolState.decode(Array("heimdall-spool 1\nacknowledged x\ndropped_total 0\n".utf8)) == nil)
        #expect(SpoolState.decode([]) == nil)
    }
}
