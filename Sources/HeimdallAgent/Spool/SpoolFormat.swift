#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol

/// The byte layout of spool segments (pure; any thread).
///
/// A segment `spool/NNNNNNNN.seg` starts with the 8-byte header `HSPL 01 00 00 00` and
/// holds records back to back. A record is
///
///     u32 LE  body length n (17 ... 16 MiB)
///     u32 LE  CRC-32C of the body
///     body:   u64 LE sequence number
///             i64 LE spooled-at, milliseconds since 1970
///             u8     kind: 1 event, 2 status
///             JSON   the event as in an `events` frame, or {"ts":..., "metrics":{...}}
///
/// The agent writes kind 3, a compressed block of items numbered from the body's
/// sequence number on:
///
///     body:   u64 LE first sequence number
///             i64 LE spooled-at, milliseconds since 1970
///             u8     kind 3
///             u32 LE item count (at least 1)
///             u32 LE uncompressed length
///             zlib   items back to back: u8 kind (1 event, 2 status), u32 LE length, JSON
///
/// (auth-log events shrink from about 400 bytes of JSON to about 50 in blocks of a few
/// hundred). The checksum covers the whole body, so a torn or flipped record never decodes.
public enum SpoolFormat {
    /// The segment header (magic and version 1).
    public static let header: [UInt8] = Array("HSPL".utf8) + [1, 0, 0, 0]
    /// Length and checksum in front of every body.
    public static let recordHeaderLength = 8
    /// Sequence number, time and kind at the start of every body.
    public static let bodyPrefixLength = 17
    /// The largest body accepted (a 1 MiB log line fits with room to spare).
    public static let maximumBodyLength = 16 * 1_048_576

    /// Item count and uncompressed length after the prefix of a block.
    public static let blockPrefixLength = 25
    /// The largest uncompressed block accepted.
    public static let maximumBlockLength = 16 * 1_048_576

    static let eventKind: UInt8 = 1
    static let statusKind: UInt8 = 2
    static let blockKind: UInt8 = 3

    /// Collects items for one compressed block record (kind 3).
    public struct BlockBuilder: Sendable {
        private var items: [UInt8] = []
        /// Items added.
        public private(set) var count = 0
        /// Uncompressed bytes so far.
        public var byteCount: Int { items.count }

        public init() {}

        public mutating func add(_ content: SpoolRecord.Content) {
            var json: [UInt8] = []
            let kind = encodeContent(content, into: &json)
            items.append(kind)
            appendInteger(UInt32(json.count), to: &items)
            items.append(contentsOf: json)
            count += 1
        }

        /// The whole record (length, checksum, body), items numbered from `firstSequence`.
        /// - Throws: ``SpoolError/Code/recordTooLarge`` when the block passes the limits.
        public func finish(firstSequence: UInt64, spooledAt: Date) throws(SpoolError) -> [UInt8] {
            guard count > 0, items.count <= maximumBlockLength, let compressed = Deflate.compress(items),
                  compressed.count + blockPrefixLength <= maximumBodyLength else {
                throw SpoolError(.recordTooLarge, path: "", "block of \(count) items has \(items.count) bytes")
            }
            var body: [UInt8] = []
            body.reserveCapacity(blockPrefixLength + compressed.count)
            appendInteger(firstSequence, to: &body)
            appendInteger(UInt64(bitPattern: milliseconds(spooledAt)), to: &body)
            body.append(blockKind)
            appendInteger(UInt32(count), to: &body)
            appendInteger(UInt32(items.count), to: &body)
            body.append(contentsOf: compressed)
            var out: [UInt8] = []
            out.reserveCapacity(recordHeaderLength + body.count)
            appendInteger(UInt32(body.count), to: &out)
            appendInteger(CRC32C.checksum(body), to: &out)
            out.append(contentsOf: body)
            return out
        }
    }

    /// Items in a record body (its count for a block, otherwise 1).
    public static func itemCount(_ body: ArraySlice<UInt8>) -> Int {
        guard body.count >= blockPrefixLength, body[body.startIndex + 16] == blockKind else { return 1 }
        return max(1, Int(readInteger(body, at: body.startIndex + 17) as UInt32))
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    fileprivate static func encodeContent(_ content: SpoolRecord.Content, into out: inout [UInt8]) -> UInt8 {
        switch content {
        case .event(let event):
            JSONWriter.write(event.jsonValue, into: &out)
            return eventKind
        case .status(let takenAt, let metrics):
            JSONWriter.write(.object(["ts": .string(RFC3339.format(takenAt)), "metrics": metrics]), into: &out)
            return statusKind
        }
    }

    /// Appends the encoded `record` to `out`.
    /// - Throws: ``SpoolError/Code/recordTooLarge`` for a body above the limit.
    public static func encode(_ record: SpoolRecord, into out: inout [UInt8]) throws(SpoolError) {
        var body: [UInt8] = []
        body.reserveCapacity(512)
        appendInteger(record.sequenceNumber, to: &body)
        appendInteger(UInt64(bitPattern: milliseconds(record.spooledAt)), to: &body)
        let kindIndex = body.count
        body.append(0)
        let kind = encodeContent(record.content, into: &body)
        body[kindIndex] = kind
        guard body.count <= maximumBodyLength else {
            throw SpoolError(.recordTooLarge, path: "", "record \(record.sequenceNumber) has \(body.count) bytes")
        }
        appendInteger(UInt32(body.count), to: &out)
        appendInteger(CRC32C.checksum(body), to: &out)
        out.append(contentsOf: body)
    }

    /// Decodes the body of a record whose checksum was verified (see ``SegmentScanner``):
    /// one record for kinds 1 and 2, every item of a block for kind 3.
    /// - Throws: ``SpoolError/Code/invalidRecord`` when the content is not valid.
    public static func decodeBody(_ body: ArraySlice<UInt8>) throws(SpoolError) -> [SpoolRecord] {
        guard body.count >= bodyPrefixLength else { throw SpoolError(.invalidRecord, path: "", "body too short") }
        let start = body.startIndex
        let sequenceNumber: UInt64 = readInteger(body, at: start)
        let millis = Int64(bitPattern: readInteger(body, at: start + 8) as UInt64)
        let spooledAt = Date(timeIntervalSince1970: Double(millis) / 1000)
        let kind = body[start + 16]
        guard kind == blockKind else {
            let content = try decodeContent(kind: kind, json: body[(start + bodyPrefixLength)...], sequenceNumber: sequenceNumber)
            return [SpoolRecord(sequenceNumber: sequenceNumber, spooledAt: spooledAt, content: content)]
        }
        guard body.count >= blockPrefixLength else { throw SpoolError(.invalidRecord, path: "", "block \(sequenceNumber): too short") }
        let count = Int(readInteger(body, at: start + 17) as UInt32)
        let length = Int(readInteger(body, at: start + 21) as UInt32)
        guard let items = Deflate.decompress(body[(start + blockPrefixLength)...], expectedLength: length) else {
            throw SpoolError(.invalidRecord, path: "", "block \(sequenceNumber): does not decompress")
        }
        var records: [SpoolRecord] = []
        records.reserveCapacity(count)
        var offset = 0
        while offset < items.count {
            guard offset + 5 <= items.count else { throw SpoolError(.invalidRecord, path: "", "block \(sequenceNumber): item header cut") }
            let itemLength = Int(readInteger(items, at: offset + 1) as UInt32)
            let end = offset + 5 + itemLength
            guard end <= items.count else { throw SpoolError(.invalidRecord, path: "", "block \(sequenceNumber): item cut") }
            let number = sequenceNumber + UInt64(records.count)
            let content = try decodeContent(kind: items[offset], json: items[(offset + 5)..<end], sequenceNumber: number)
            records.append(SpoolRecord(sequenceNumber: number, spooledAt: spooledAt, content: content))
            offset = end
        }
        guard records.count == count else { throw SpoolError(.invalidRecord, path: "", "block \(sequenceNumber): \(records.count) items, \(count) announced") }
        return records
    }

    private static func decodeContent(kind: UInt8, json bytes: ArraySlice<UInt8>, sequenceNumber: UInt64) throws(SpoolError) -> SpoolRecord.Content {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw SpoolError(.invalidRecord, path: "", "record \(sequenceNumber): \(error)")
        }
        switch kind {
        case eventKind:
            switch EventValidator.validate(json) {
            case .success(let event):
                return .event(event)
            case .failure(let invalid):
                throw SpoolError(.invalidRecord, path: "", "record \(sequenceNumber): \(invalid.reason)")
            }
        case statusKind:
            guard let metrics = json["metrics"], metrics.objectValue != nil,
                  let takenAt = json["ts"]?.stringValue.flatMap(RFC3339.parse) else {
                throw SpoolError(.invalidRecord, path: "", "record \(sequenceNumber): invalid status")
            }
            return .status(takenAt: takenAt, metrics: metrics)
        default:
            throw SpoolError(.invalidRecord, path: "", "record \(sequenceNumber): unknown kind")
        }
    }

    static func appendInteger<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    static func readInteger<T: FixedWidthInteger, Bytes: RandomAccessCollection>(_ bytes: Bytes, at index: Bytes.Index) -> T
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var value: T = 0
        for offset in 0..<MemoryLayout<T>.size { value |= T(bytes[index + offset]) << (8 * offset) }
        return value
    }
}
