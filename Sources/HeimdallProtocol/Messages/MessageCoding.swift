#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore

/// Turns frame payloads into messages and back. Pure: any thread may call it.
///
/// Decoding is strict about what protocol.md requires (a JSON object in valid UTF-8 with a
/// string `type`, the members each type needs) and ignores every member it does not know.
public enum MessageCoding {
    /// Parses a payload into a JSON object that has a string `type`.
    public static func object(from payload: ByteBuffer) throws(ProtocolError) -> (type: String, members: [String: JSONValue]) {
        let parsed = payload.withUnsafeReadableBytes { bytes in
            Result { () throws(JSONParseError) -> JSONValue in try JSONParser.parse(bytes) }
        }
        let value: JSONValue
        switch parsed {
        case .success(let parsedValue): value = parsedValue
        case .failure(let error): throw ProtocolError(.invalidFrame, "payload is not valid JSON: \(error)")
        }
        guard let members = value.objectValue else { throw ProtocolError(.invalidFrame, "payload is not a JSON object") }
        guard let type = members["type"]?.stringValue else {
            throw ProtocolError(.invalidFrame, "payload has no string member \"type\"")
        }
        return (type, members)
    }

    /// The payload of one frame holding `value`.
    public static func payload(_ value: JSONValue) -> [UInt8] {
        JSONWriter.bytes(value)
    }

    /// A whole frame (length prefix and payload) holding `value`.
    public static func frame(_ value: JSONValue, allocator: ByteBufferAllocator) -> ByteBuffer {
        let bytes = payload(value)
        var buffer = allocator.buffer(capacity: bytes.count + 4)
        FrameEncoder.write(payload: bytes, into: &buffer)
        return buffer
    }

    static func sequenceNumber(_ members: [String: JSONValue]) throws(ProtocolError) -> UInt64 {
        guard let number = members["seq"]?.intValue, number >= 0 else {
            throw ProtocolError(.invalidFrame, "\"seq\" must be a non-negative integer")
        }
        return UInt64(number)
    }

    static func optionalDate(_ value: JSONValue?) -> Date? {
        value?.stringValue.flatMap(RFC3339.parse)
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue {
    /// The Boolean payload, or `nil` for any other case.
    public var bool: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }
}
