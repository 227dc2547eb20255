#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore

extension AgentMessage {
    /// Decodes an agent's frame payload (the hub's side).
    public static func decode(_ payload: ByteBuffer) throws(ProtocolError) -> AgentMessage {
        let (type, members, events) = try MessageCoding.object(from: payload, claiming: "events", with: WireEvents.parse)
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
            guard case .array(let results)? = events else {
                throw ProtocolError(.invalidFrame, "events needs an array \"events\"")
            }
            var batch = EventBatch(sequenceNumber: seq, events: [])
            batch.events.reserveCapacity(results.count)
            for (index, result) in results.enumerated() {
                switch result {
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

/// The `events` member of an agent's frame, each event validated as it is parsed.
enum WireEvents {
    case array([Result<Event, EventInvalid>])
    /// Any other JSON value.
    case other

    static func parse(_ parser: inout JSONParser) throws(JSONParseError) -> WireEvents {
        guard parser.peekValue() == UInt8(ascii: "[") else {
            _ = try parser.parseValue(depth: 1)
            return .other
        }
        var results: [Result<Event, EventInvalid>] = []
        try parser.parseElements(depth: 2) { parser throws(JSONParseError) in
            results.append(try WireEvent.parse(&parser, depth: 2))
        }
        return .array(results)
    }
}
