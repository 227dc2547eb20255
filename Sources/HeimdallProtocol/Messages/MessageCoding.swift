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
        let (type, members, _) = try object(from: payload, claiming: nil) { parser throws(JSONParseError) in
            try parser.parseValue(depth: 1)
        }
        return (type, members)
    }

    /// Parses a payload into a JSON object that has a string `type`, handing the member
    /// named `claimed` to `parse` (at the member's value, depth 1) instead of keeping it as
    /// a ``JSONValue``: the shape a frame type expects is decoded straight from the bytes.
    static func object<Claimed>(
        from payload: ByteBuffer, claiming claimed: String?, with parse: (inout JSONParser) throws(JSONParseError) -> Claimed
    ) throws(ProtocolError) -> (type: String, members: [String: JSONValue], claimed: Claimed?) {
        var members: [String: JSONValue] = [:]
        var claimedValue: Claimed?
        let parsed = payload.withUnsafeReadableBytes { bytes in
            Result { () throws(JSONParseError) -> Void? in
                try JSONParser.parseObject(bytes) { key, parser throws(JSONParseError) in
                    if key == claimed {
                        claimedValue = try parse(&parser)
                    } else {
                        members[key] = try parser.parseValue(depth: 1)
                    }
                }
            }
        }
        switch parsed {
        case .success(.some): break
        case .success(.none): throw ProtocolError(.invalidFrame, notAnObjectReason(payload))
        case .failure(let error): throw ProtocolError(.invalidFrame, "payload is not valid JSON: \(error)")
        }
        guard let type = members["type"]?.stringValue else {
            throw ProtocolError(.invalidFrame, "payload has no string member \"type\"")
        }
        return (type, members, claimedValue)
    }

    /// Why a payload that does not start with an object is refused.
    private static func notAnObjectReason(_ payload: ByteBuffer) -> String {
        let parsed = payload.withUnsafeReadableBytes { bytes in
            Result { () throws(JSONParseError) -> JSONValue in try JSONParser.parse(bytes) }
        }
        if case .failure(let error) = parsed { return "payload is not valid JSON: \(error)" }
        return "payload is not a JSON object"
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
