import NIOCore

extension HubMessage {
    /// The message as a JSON object (the hub's side).
    public var jsonValue: JSONValue {
        switch self {
        case .welcome(let welcome):
            return .object([
                "type": "welcome", "protocol": .number(Double(welcome.protocolVersion)), "host": .string(welcome.host),
                "session": .string(welcome.sessionID), "heartbeat_interval": .number(Double(welcome.heartbeatInterval)),
                "max_frame": .number(Double(welcome.maximumFrameLength)),
                "max_batch": .number(Double(welcome.maximumBatchSize)), "window": .number(Double(welcome.window)),
            ])
        case .ack(let ack):
            return .object([
                "type": "ack", "seq": .number(Double(ack.sequenceNumber)), "stored": .number(Double(ack.stored)),
                "duplicates": .number(Double(ack.duplicates)),
                "rejected": .array(ack.rejected.map { .object(["index": .number(Double($0.index)), "reason": .string($0.reason)]) }),
            ])
        case .pong(let pong):
            return .object(["type": "pong", "ts": .string(pong.timestamp), "echo": pong.echo.map(JSONValue.string) ?? .null])
        case .renewed(let renewal):
            return .object(["type": "renewed", "certificate": .string(renewal.certificate), "ca": .string(renewal.ca)])
        case .error(let report):
            return .object([
                "type": "error", "code": .string(report.code.rawValue), "message": .string(report.message),
                "fatal": .bool(report.fatal),
            ])
        }
    }

    /// Decodes a hub's frame payload (the agent's side). Unknown types are refused with
    /// `unknown_type`, which the agent may ignore.
    public static func decode(_ payload: ByteBuffer) throws(ProtocolError) -> HubMessage {
        let (type, members) = try MessageCoding.object(from: payload)
        switch type {
        case "welcome":
            guard let version = members["protocol"]?.intValue, let host = members["host"]?.stringValue,
                  let session = members["session"]?.stringValue
            else { throw ProtocolError(.invalidFrame, "welcome lacks protocol, host or session") }
            return .welcome(Welcome(
                protocolVersion: version, host: host, sessionID: session,
                heartbeatInterval: members["heartbeat_interval"]?.intValue ?? 30,
                maximumFrameLength: members["max_frame"]?.intValue ?? 1_048_576,
                maximumBatchSize: members["max_batch"]?.intValue ?? 1000, window: members["window"]?.intValue ?? 16
            ))
        case "ack":
            let seq = try MessageCoding.sequenceNumber(members)
            let rejected = (members["rejected"]?.arrayValue ?? []).compactMap { entry -> EventRejection? in
                guard let index = entry["index"]?.intValue else { return nil }
                return EventRejection(index: index, reason: entry["reason"]?.stringValue ?? "")
            }
            return .ack(Ack(
                sequenceNumber: seq, stored: members["stored"]?.intValue ?? 0,
                duplicates: members["duplicates"]?.intValue ?? 0, rejected: rejected
            ))
        case "pong":
            return .pong(Pong(timestamp: members["ts"]?.stringValue ?? "", echo: members["echo"]?.stringValue))
        case "renewed":
            guard let certificate = members["certificate"]?.stringValue, let ca = members["ca"]?.stringValue else {
                throw ProtocolError(.invalidFrame, "renewed lacks certificate or ca")
            }
            return .renewed(Renewal(certificate: certificate, ca: ca))
        case "error":
            let code = members["code"]?.stringValue.flatMap(ProtocolErrorCode.init(rawValue:)) ?? .internal
            return .error(ErrorReport(
                code: code, message: members["message"]?.stringValue ?? "", fatal: members["fatal"]?.bool ?? code.isFatal
            ))
        default:
            throw ProtocolError(.unknownType, "unknown frame type \"\(type)\"")
        }
    }
}

extension HubMessage {
    /// The whole frame (length prefix and payload) for this message. An ack — the hub sends
    /// one per data frame — is written straight into the buffer, the same bytes as
    /// ``jsonValue`` through ``JSONWriter`` (sorted keys) without building the object; other
    /// messages go through ``jsonValue``.
    public func frame(allocator: ByteBufferAllocator) -> ByteBuffer {
        guard case .ack(let ack) = self else {
            return MessageCoding.frame(jsonValue, allocator: allocator)
        }
        var buffer = allocator.buffer(capacity: 96)
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(UInt32(0))
        buffer.writeStaticString(#"{"duplicates":"#)
        buffer.writeString(String(ack.duplicates))
        buffer.writeStaticString(#","rejected":"#)
        if ack.rejected.isEmpty {
            buffer.writeStaticString("[]")
        } else {
            let rejected = JSONValue.array(ack.rejected.map { .object(["index": .number(Double($0.index)), "reason": .string($0.reason)]) })
            buffer.writeBytes(JSONWriter.bytes(rejected))
        }
        buffer.writeStaticString(#","seq":"#)
        buffer.writeString(String(ack.sequenceNumber))
        buffer.writeStaticString(#","stored":"#)
        buffer.writeString(String(ack.stored))
        buffer.writeStaticString(#","type":"ack"}"#)
        buffer.setInteger(UInt32(buffer.writerIndex - lengthIndex - 4), at: lengthIndex)
        return buffer
    }
}
