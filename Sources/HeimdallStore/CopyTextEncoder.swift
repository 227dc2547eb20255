import Foundation
import HeimdallProtocol

/// Builds `COPY ... FROM STDIN` text-format rows straight into a byte buffer, without an
/// intermediate `String` per value: fields are separated by tabs, rows end with a newline,
/// `\N` is `NULL`, and backslash, tab, newline and carriage return are escaped.
///
/// A value type used by one thread at a time.
public struct CopyTextEncoder {
    /// The encoded rows so far.
    public private(set) var bytes: [UInt8] = []
    private var rowHasFields = false
    private var scratch: [UInt8] = []
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Creates an empty encoder with room for `capacity` bytes.
    public init(capacity: Int = 1 << 17) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends a text field.
    public mutating func text(_ value: String) {
        separate()
        var value = value
        value.withUTF8 { escaped($0) }
    }

    /// Appends a text field, or `NULL` when `value` is nil.
    public mutating func text(_ value: String?) {
        guard let value else { return null() }
        text(value)
    }

    /// Appends `NULL`.
    public mutating func null() {
        separate()
        bytes.append(contentsOf: [0x5C, 0x4E])
    }

    /// Appends a `timestamptz` in UTC with microseconds.
    public mutating func timestamp(_ date: Date) {
        separate()
        PostgresTimestamp.append(date, to: &bytes)
    }

    /// Appends a `uuid` in lowercase.
    public mutating func uuid(_ value: UUID) {
        separate()
        withUnsafeBytes(of: value.uuid) { raw in
            for (index, byte) in raw.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { bytes.append(UInt8(ascii: "-")) }
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            }
        }
    }

    /// Appends the compact JSON text of `value` (for `json`/`jsonb` columns).
    public mutating func json(_ value: JSONValue) {
        separate()
        scratch.removeAll(keepingCapacity: true)
        JSONWriter.write(value, into: &scratch)
        scratch.withUnsafeBufferPointer { escaped($0) }
    }

    /// Ends the current row.
    public mutating func endRow() {
        bytes.append(0x0A)
        rowHasFields = false
    }

    /// Forgets the encoded bytes (after they were sent), keeping the capacity.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func separate() {
        if rowHasFields { bytes.append(0x09) }
        rowHasFields = true
    }

    private mutating func escaped(_ value: UnsafeBufferPointer<UInt8>) {
        var start = 0
        for (index, byte) in value.enumerated() {
            let escape: UInt8
            switch byte {
            case 0x5C: escape = 0x5C
            case 0x09: escape = 0x74
            case 0x0A: escape = 0x6E
            case 0x0D: escape = 0x72
            default: continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[start..<index]))
            bytes.append(0x5C)
            bytes.append(escape)
            start = index + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[start...]))
    }
}
