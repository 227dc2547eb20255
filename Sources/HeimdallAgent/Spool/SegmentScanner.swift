/// What a segment's bytes hold, found by checking every record's length and checksum (pure;
/// any thread). Bodies are not decoded here.
public struct SegmentScan: Sendable, Hashable {
    /// One record whose checksum matched.
    public struct Entry: Sendable, Hashable {
        /// The (first) sequence number.
        public var sequenceNumber: UInt64
        /// Items in the record (1 unless it is a block).
        public var count: Int = 1
        /// The last sequence number.
        public var lastSequenceNumber: UInt64 { sequenceNumber + UInt64(count - 1) }
        /// Milliseconds since 1970.
        public var spooledAtMillis: Int64
        /// The whole record (length, checksum and body) within the segment.
        public var range: Range<Int>
    }

    /// Good records in file order.
    public var entries: [Entry] = []
    /// `false` when the segment does not start with ``SpoolFormat/header``.
    public var headerIsValid = true
    /// Offsets where bad bytes were followed by more good records (mid-segment damage).
    public var corruptOffsets: [Int] = []
    /// Where trailing bytes that are not a complete good record begin (a torn write).
    public var tornTailOffset: Int?

    /// Damage that a cut cannot fix: a bad header or bad bytes between good records.
    public var isCorrupt: Bool { !headerIsValid || !corruptOffsets.isEmpty }
    /// Where the last good record ends (the length to cut a torn tail to).
    public var validLength: Int { entries.last?.range.upperBound ?? SpoolFormat.header.count }
}

/// Scans segment bytes into a ``SegmentScan``.
///
/// After a bad spot it looks, byte by byte, for the next offset where a record with a
/// plausible length, a known kind, a matching CRC-32C and a larger sequence number starts
/// (resynchronisation): if one exists the damage is in the middle, otherwise the rest of
/// the file is a torn tail.
public enum SegmentScanner {
    public static func scan(_ bytes: [UInt8]) -> SegmentScan {
        var scan = SegmentScan()
        let header = SpoolFormat.header
        if bytes.count < header.count {
            scan.headerIsValid = bytes.elementsEqual(header.prefix(bytes.count))
            if scan.headerIsValid, !bytes.isEmpty { scan.tornTailOffset = 0 }
            return scan
        }
        scan.headerIsValid = bytes[0..<header.count].elementsEqual(header)
        var offset = header.count
        bytes.withUnsafeBytes { buffer in
            var lastSequence: UInt64?
            if !scan.headerIsValid, let next = resynchronise(buffer, from: 0, after: nil) {
                offset = next
            }
            while offset < buffer.count {
                if let entry = record(in: buffer, at: offset, after: lastSequence) {
                    scan.entries.append(entry)
                    lastSequence = entry.lastSequenceNumber
                    offset = entry.range.upperBound
                    continue
                }
                guard let next = resynchronise(buffer, from: offset + 1, after: lastSequence) else {
                    scan.tornTailOffset = offset
                    break
                }
                scan.corruptOffsets.append(offset)
                offset = next
            }
        }
        return scan
    }

    private static func resynchronise(_ buffer: UnsafeRawBufferPointer, from start: Int, after lastSequence: UInt64?) -> Int? {
        var candidate = start
        let minimum = SpoolFormat.recordHeaderLength + SpoolFormat.bodyPrefixLength
        while candidate + minimum <= buffer.count {
            if record(in: buffer, at: candidate, after: lastSequence) != nil { return candidate }
            candidate += 1
        }
        return nil
    }

    /// The good record at `offset`, or `nil`.
    static func record(in buffer: UnsafeRawBufferPointer, at offset: Int, after lastSequence: UInt64?) -> SegmentScan.Entry? {
        let headerLength = SpoolFormat.recordHeaderLength
        guard offset + headerLength + SpoolFormat.bodyPrefixLength <= buffer.count else { return nil }
        let length = Int(buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
        guard length >= SpoolFormat.bodyPrefixLength, length <= SpoolFormat.maximumBodyLength,
              offset + headerLength + length <= buffer.count else { return nil }
        let bodyStart = offset + headerLength
        let kind = buffer[bodyStart + 16]
        var count = 1
        switch kind {
        case SpoolFormat.eventKind, SpoolFormat.statusKind:
            break
        case SpoolFormat.blockKind:
            guard length >= SpoolFormat.blockPrefixLength else { return nil }
            count = Int(buffer.loadUnaligned(fromByteOffset: bodyStart + 17, as: UInt32.self).littleEndian)
            guard count >= 1 else { return nil }
        default:
            return nil
        }
        let sequenceNumber = buffer.loadUnaligned(fromByteOffset: bodyStart, as: UInt64.self).littleEndian
        if let lastSequence, sequenceNumber <= lastSequence { return nil }
        let checksum = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self).littleEndian
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buffer[bodyStart..<(bodyStart + length)])) == checksum else { return nil }
        let millis = Int64(bitPattern: buffer.loadUnaligned(fromByteOffset: bodyStart + 8, as: UInt64.self).littleEndian)
        return SegmentScan.Entry(sequenceNumber: sequenceNumber, count: count, spooledAtMillis: millis, range: offset..<(bodyStart + length))
    }
}
