import Foundation
import HeimdallProtocol

/// One query parameter in PostgreSQL's text format, with its type.
///
/// Build values with the static constructors (``string(_:)``, ``date(_:)``, ...) or with
/// ``PostgresBindable/postgresValue``; a `nil` parameter is SQL `NULL`. Values are
/// immutable and may cross threads.
public struct PostgresValue: Sendable, Hashable {
    /// The parameter's text representation, as PostgreSQL parses it.
    public var text: String
    /// The parameter's type OID (0 lets the server infer it).
    public var typeOID: UInt32

    /// A value with an explicit type OID; prefer the typed constructors.
    public init(text: String, typeOID: UInt32) {
        self.text = text
        self.typeOID = typeOID
    }

    /// A `text` value.
    public static func string(_ value: String) -> PostgresValue { .init(text: value, typeOID: 25) }
    /// A `bigint` value.
    public static func int64(_ value: Int64) -> PostgresValue { .init(text: String(value), typeOID: 20) }
    /// A `bigint` value.
    public static func int(_ value: Int) -> PostgresValue { .init(text: String(value), typeOID: 20) }
    /// A `double precision` value (NaN and infinities included).
    public static func double(_ value: Double) -> PostgresValue {
        let text: String
        if value.isNaN { text = "NaN" } else if value.isInfinite { text = value < 0 ? "-Infinity" : "Infinity" } else { text = "\(value)" }
        return .init(text: text, typeOID: 701)
    }
    /// A `boolean` value.
    public static func bool(_ value: Bool) -> PostgresValue { .init(text: value ? "t" : "f", typeOID: 16) }
    /// A `timestamptz` value (RFC 3339, UTC, microseconds).
    public static func date(_ value: Date) -> PostgresValue { .init(text: PostgresTimestamp.format(value), typeOID: 1184) }
    /// A `uuid` value.
    public static func uuid(_ value: UUID) -> PostgresValue { .init(text: value.uuidString.lowercased(), typeOID: 2950) }
    /// A `jsonb` value.
    public static func json(_ value: JSONValue) -> PostgresValue { .init(text: value.jsonText(), typeOID: 3802) }
    /// A `text[]` value; `nil` elements are `NULL`.
    public static func stringArray(_ values: [String?]) -> PostgresValue {
        .init(text: PostgresArrayLiteral.encode(values), typeOID: 1009)
    }
    /// A `bigint[]` value.
    public static func int64Array(_ values: [Int64]) -> PostgresValue {
        .init(text: PostgresArrayLiteral.encode(values.map { String($0) }), typeOID: 1016)
    }
    /// A `timestamptz[]` value.
    public static func dateArray(_ values: [Date]) -> PostgresValue {
        .init(text: PostgresArrayLiteral.encode(values.map(PostgresTimestamp.format)), typeOID: 1185)
    }
    /// A `uuid[]` value.
    public static func uuidArray(_ values: [UUID]) -> PostgresValue {
        .init(text: PostgresArrayLiteral.encode(values.map { $0.uuidString.lowercased() }), typeOID: 2951)
    }
}

/// A Swift type that converts to a query parameter. Any thread may use it.
public protocol PostgresBindable {
    /// The value as a query parameter.
    var postgresValue: PostgresValue { get }
}

extension String: PostgresBindable { public var postgresValue: PostgresValue { .string(self) } }
extension Int: PostgresBindable { public var postgresValue: PostgresValue { .int(self) } }
extension Int64: PostgresBindable { public var postgresValue: PostgresValue { .int64(self) } }
extension Int32: PostgresBindable { public var postgresValue: PostgresValue { .int64(Int64(self)) } }
extension Double: PostgresBindable { public var postgresValue: PostgresValue { .double(self) } }
extension Bool: PostgresBindable { public var postgresValue: PostgresValue { .bool(self) } }
extension Date: PostgresBindable { public var postgresValue: PostgresValue { .date(self) } }
extension UUID: PostgresBindable { public var postgresValue: PostgresValue { .uuid(self) } }
extension JSONValue: PostgresBindable { public var postgresValue: PostgresValue { .json(self) } }

extension Array: PostgresBindable where Element: PostgresArrayElement {
    /// The array as a PostgreSQL array parameter.
    public var postgresValue: PostgresValue { Element.arrayValue(self) }
}

/// Element types that form array parameters (`[String]`, `[Int64]`, `[Date]`, `[UUID]`).
public protocol PostgresArrayElement {
    /// An array parameter holding `values`.
    static func arrayValue(_ values: [Self]) -> PostgresValue
}

extension String: PostgresArrayElement {
    public static func arrayValue(_ values: [String]) -> PostgresValue { .stringArray(values) }
}
extension Int64: PostgresArrayElement {
    public static func arrayValue(_ values: [Int64]) -> PostgresValue { .int64Array(values) }
}
extension Date: PostgresArrayElement {
    public static func arrayValue(_ values: [Date]) -> PostgresValue { .dateArray(values) }
}
extension UUID: PostgresArrayElement {
    public static func arrayValue(_ values: [UUID]) -> PostgresValue { .uuidArray(values) }
}

extension Optional where Wrapped: PostgresBindable {
    /// The wrapped value as a parameter, or `nil` (SQL `NULL`).
    public var postgresValue: PostgresValue? { map(\.postgresValue) }
}

/// PostgreSQL's array literal syntax: `{"a","b\"c",NULL}`.
enum PostgresArrayLiteral {
    static func encode(_ values: [String?]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(values.reduce(2) { $0 + ($1?.utf8.count ?? 4) + 3 })
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard let value else {
                bytes.append(contentsOf: "NULL".utf8)
                continue
            }
            bytes.append(UInt8(ascii: "\""))
            for byte in value.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
