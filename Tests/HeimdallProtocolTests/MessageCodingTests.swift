import NIOCore
import Testing
@testable import HeimdallProtocol

@Suite struct MessageCodingTests {
    func decode(_ text: String) throws(ProtocolError) -> AgentMessage {
        try AgentMessage.decode(ByteBuffer(string: text))
    }

    @Test func decodesHelloIgnoringUnknownMembers() throws {
        let message = try decode(#"{"type":"hello","protocol":1,"future":true,"agent":{"version":"0.1.0","os":"linux","arch":"x86_64","hostname":"web-01"}}"#)
        #expect(message == .hello(Hello(protocolVersion: 1, agent: AgentInfo(version: "0.1.0", os: "linux", arch: "x86_64", hostname: "web-01"))))
    }

    @Test func decodesABatchWithOneBadEvent() throws {
        let good = #"{"id":"00112233445566778899aabbccddeeff","ts":"2026-11-20T10:15:02Z","category":"auth","severity":"info","source":"linux.auth","message":"m","fields":{}}"#
        let bad = #"{"id":"00112233445566778899aabbccddeeff","ts":"not a time","category":"auth","severity":"info","source":"linux.auth","message":"m","fields":{}}"#
        guard case .events(let batch) = try decode(#"{"type":"events","seq":1,"events":[\#(good),\#(bad)]}"#) else {
            Issue.record("not an events frame")
            return
        }
        #expect(batch.events.count == 1)
        #expect(batch.rejected == [EventRejection(index: 1, reason: "invalid ts")])
    }

    @Test(arguments: [#"[1,2]"#, #"{"no":"type"}"#, #"{"type":7}"#, "not json", #"{"type":"events","seq":-1,"events":[]}"#,
                      #"{"type":"events","seq":1}"#, #"{"type":"hello"}"#, #"{"type":"status","seq":1,"metrics":[]}"#])
    func refusesMalformedFrames(_ text: String) {
        #expect(throws: ProtocolError.self) { try decode(text) }
    }

    @Test func unknownTypesAreDecodedAsUnknown() throws {
        #expect(try decode(#"{"type":"telemetry"}"#) == .unknown(type: "telemetry"))
    }

    @Test func hubMessagesRoundTrip() throws {
        let messages: [HubMessage] = [
            .welcome(Welcome(protocolVersion: 1, host: "web-01", sessionID: "s", heartbeatInterval: 30, maximumFrameLength: 1024, maximumBatchSize: 10, window: 4)),
            .ack(Ack(sequenceNumber: 3, stored: 9, duplicates: 1, rejected: [EventRejection(index: 7, reason: "invalid ts")])),
            .pong(Pong(timestamp: "2026-11-20T10:15:30.004Z", echo: "2026-11-20T10:15:30Z")),
            .error(ErrorReport(code: .unknownType, message: "x")),
            .renewed(Renewal(certificate: "-----BEGIN CERTIFICATE-----\nA\n", ca: "-----BEGIN CERTIFICATE-----\nB\n")),
            .error(ErrorReport(code: .nameMismatch, message: "CN differs", fatal: false)),
        ]
        for message in messages {
            let payload = ByteBuffer(bytes: MessageCoding.payload(message.jsonValue))
            #expect(try HubMessage.decode(payload) == message)
        }
    }

    @Test(arguments: [
        Ack(sequenceNumber: 1, stored: 1, duplicates: 0),
        Ack(sequenceNumber: 9_007_199_254_740_992, stored: 500, duplicates: 499),
        Ack(sequenceNumber: 3, stored: 9, duplicates: 1, rejected: [EventRejection(index: 7, reason: "invalid \"ts\"\n")]),
    ])
    func ackFramesAreTheBytesOfTheGeneralEncoder(_ ack: Ack) {
        let message = HubMessage.ack(ack)
        let expected = MessageCoding.frame(message.jsonValue, allocator: ByteBufferAllocator())
        #expect(message.frame(allocator: ByteBufferAllocator()) == expected)
    }

    @Test func agentMessagesRoundTrip() throws {
        let messages: [AgentMessage] = [
            .hello(Hello(protocolVersion: 1, agent: AgentInfo(version: "1", os: "linux", arch: "x86_64", hostname: "h"))),
            .heartbeat(Heartbeat(timestamp: "2026-11-20T10:15:30Z", spool: SpoolHealth(pendingEvents: 3, oldestPending: nil, droppedTotal: 0))),
            .renew(RenewalRequest(csr: "-----BEGIN CERTIFICATE REQUEST-----\nX\n")),
            .bye,
        ]
        for message in messages {
            #expect(try AgentMessage.decode(ByteBuffer(bytes: MessageCoding.payload(message.jsonValue))) == message)
        }
    }
}
