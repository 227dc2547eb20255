import Foundation
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
/// The checksum covers the whole body, so a torn or flipped record never decodes.
public enum SpoolFormat {
    /// The segment header (magic and version 1).
    public static let header: [UInt8] = Array("HSPL".utf8) + [1, 0, 0, 0]
    /// Length and checksum in front of every body.
    public static let recordHeaderLength = 8
    /// Sequence number, time and kind at the start of every body.
    public static let bodyPrefixLength = 17
    /// The largest body accepted (a 1 MiB log line fits with room to spare).
    public static let maximumBodyLength = 16 * 1_048_576

    static let eventKind: UInt8 = 1
    static let statusKind: UInt8 = 2

    /// Appends the encoded `record` to `out`.
    /// - Throws: ``SpoolError/Code/recordTooLarge`` for a body above the limit.
    public static func encode(_ record: SpoolRecord, into out: inout [UInt8]) throws(SpoolError) {
        var body: [UInt8] = []
        body.reserveCapacity(512)
        appendInteger(record.sequenceNumber, to: &body)
        appendInteger(UInt64(bitPattern: Int64((record.spooledAt.timeIntervalSince1970 * 1000).rounded())), to: &body)
        switch record.content {
        case .event(let event):
            body.append(eventKind)
            JSONWriter.write(event.jsonValue, into: &body)
        case .status(let takenAt, let metrics):
            body.append(statusKind)
            JSONWriter.write(.object(["ts": .string(RFC3339.format(takenAt)), "metrics": metrics]), into: &body)
        }
        guard body.count <= maximumBodyLength else {
            throw SpoolError(.recordTooLarge, path: "", "record \(record.sequenceNumber) has \(body.count) bytes")
        }
        appendInteger(UInt32(body.count), to: &out)
        appendInteger(CRC32C.checksum(body), to: &out)
        out.append(contentsOf: body)
    }

    /// Decodes the body of a record whose checksum was verified (see ``SegmentScanner``).
    /// - Throws: ``SpoolError/Code/invalidRecord`` when the JSON is not a valid event or status.
    public static func decodeBody(_ body: ArraySlice<UInt8>) throws(SpoolError) -> SpoolRecord {
        guard body.count >= bodyPrefixLength else { throw SpoolError(.invalidRecord, path: "", "body too short") }
        let start = body.startIndex
        let sequenceNumber: UInt64 = readInteger(body, at: start)
        let millis = Int64(bitPattern: readInteger(body, at: start + 8) as UInt64)
        let spooledAt = Date(timeIntervalSince1970: Double(millis) / 1000)
        let json: JSONValue
        do {
            json = try JSONParser.parse(body[(start + bodyPrefixLength)...])
        } catch {
            throw SpoolError(.invalidRecord, path: "", "record \(sequenceNumber): \(error)")
        }
        switch body[start + 16] {
        case eventKind:
            switch EventValidator.validate(json) {
            case .success(let event):
                return SpoolRecord(sequenceNumber: sequenceNumber, spooledAt: spooledAt, content: .event(event))
            case .failure(let invalid):
                throw SpoolError(.invalidRecord, path: "", "record \(sequenceNumber): \(invalid.reason)")
            }
        case statusKind:
            guard let metrics = json["metrics"], metrics.objectValue != nil,
                  let takenAt = json["ts"]?.stringValue.flatMap(RFC3339.parse) else {
                throw SpoolError(.invalidRecord, path: "", "record \(sequenceNumber): invalid status")
            }
            return SpoolRecord(sequenceNumber: sequenceNumber, spooledAt: spooledAt, content: .status(takenAt: takenAt, metrics: metrics))
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
