import Foundation
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

extension AgentMessage {
    /// Decodes an agent's frame payload (the hub's side).
    public static func decode(_ payload: ByteBuffer) throws(ProtocolError) -> AgentMessage {
        let (type, members) = try MessageCoding.object(from: payload)
        switch type {
        case "hello":
            guard let version = members["protocol"]?.intValue else {
                throw ProtocolError(.invalidFrame, "hello needs an integer \"protocol\"")
            }
            let agent = members["agent"]
            return .hello(Hello(protocolVersion: version, agent: AgentInfo(
                version: agent?["version"]?.stringValue, os: agent?["os"]?.stringValue,
                arch: agent?["arch"]?.stringValue, hostname: agent?["hostname"]?.stringValue
            )))
        case "events":
            let seq = try MessageCoding.sequenceNumber(members)
            guard let wireEvents = members["events"]?.arrayValue else {
                throw ProtocolError(.invalidFrame, "events needs an array \"events\"")
            }
            var batch = EventBatch(sequenceNumber: seq, events: [])
            batch.events.reserveCapacity(wireEvents.count)
            for (index, wireEvent) in wireEvents.enumerated() {
                switch EventValidator.validate(wireEvent) {
                case .success(let event): batch.events.append(event)
                case .failure(let invalid): batch.rejected.append(EventRejection(index: index, reason: invalid.reason))
                }
            }
            return .events(batch)
        case "status":
            let seq = try MessageCoding.sequenceNumber(members)
            guard let metrics = members["metrics"], metrics.objectValue != nil else {
                throw ProtocolError(.invalidFrame, "status needs an object \"metrics\"")
            }
            return .status(StatusReport(sequenceNumber: seq, takenAt: MessageCoding.optionalDate(members["ts"]), metrics: metrics))
        case "heartbeat":
            // A `spool` that is not an object is treated as absent, never as zeros.
            let spool = members["spool"].flatMap { $0.objectValue == nil ? nil : $0 }.map { spool in
                SpoolHealth(
                    pendingEvents: Int64(spool["pending_events"]?.intValue ?? 0),
                    oldestPending: MessageCoding.optionalDate(spool["oldest_pending"]),
                    droppedTotal: Int64(spool["dropped_total"]?.intValue ?? 0)
                )
            }
            return .heartbeat(Heartbeat(timestamp: members["ts"]?.stringValue, spool: spool))
        case "renew":
            guard let csr = members["csr"]?.stringValue else { throw ProtocolError(.invalidFrame, "renew needs a string \"csr\"") }
            return .renew(RenewalRequest(csr: csr))
        case "bye":
            return .bye
        default:
            return .unknown(type: type)
        }
    }

    /// The message as a JSON object (the agent's side).
    public var jsonValue: JSONValue {
        switch self {
        case .hello(let hello):
            var agent: [String: JSONValue] = [:]
            if let version = hello.agent.version { agent["version"] = .string(version) }
            if let os = hello.agent.os { agent["os"] = .string(os) }
            if let arch = hello.agent.arch { agent["arch"] = .string(arch) }
            if let hostname = hello.agent.hostname { agent["hostname"] = .string(hostname) }
            return .object(["type": "hello", "protocol": .number(Double(hello.protocolVersion)), "agent": .object(agent)])
        case .events(let batch):
            return .object([
                "type": "events", "seq": .number(Double(batch.sequenceNumber)),
                "events": .array(batch.events.map(\.jsonValue)),
            ])
        case .status(let report):
            var object: [String: JSONValue] = ["type": "status", "seq": .number(Double(report.sequenceNumber)), "metrics": report.metrics]
            if let takenAt = report.takenAt { object["ts"] = .string(RFC3339.format(takenAt)) }
            return .object(object)
        case .heartbeat(let heartbeat):
            var object: [String: JSONValue] = ["type": "heartbeat"]
            if let timestamp = heartbeat.timestamp { object["ts"] = .string(timestamp) }
            if let spool = heartbeat.spool {
                object["spool"] = .object([
                    "pending_events": .number(Double(spool.pendingEvents)),
                    "oldest_pending": spool.oldestPending.map { .string(RFC3339.format($0)) } ?? .null,
                    "dropped_total": .number(Double(spool.droppedTotal)),
                ])
            }
            return .object(object)
        case .renew(let request):
            return .object(["type": "renew", "csr": .string(request.csr)])
        case .bye:
            return .object(["type": "bye"])
        case .unknown(let type):
            return .object(["type": .string(type)])
        }
    }
}

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
