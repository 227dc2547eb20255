import NIOCore
import Testing
@testable import HeimdallProtocol

@Suite struct EnrollmentTokenTests {
    let fingerprint = String(repeating: "ab", count: 32)

    @Test func roundTrips() throws {
        let token = EnrollmentToken.generate(address: "hub.example.test:7444", caFingerprint: fingerprint.uppercased(), host: "web-02")
        #expect(token.secret.count == 32)
        #expect(token.id.count == 32)
        #expect(token.encoded.hasPrefix("hdm1."))
        let decoded = try EnrollmentToken.decode(token.encoded + "\n")
        #expect(decoded == token)
        #expect(decoded.caFingerprint == fingerprint)
        #expect(decoded.endpoint?.host == "hub.example.test" && decoded.endpoint?.port == 7444)
        #expect(EnrollmentToken.generate(address: "h:1", caFingerprint: fingerprint, host: "x").secret != token.secret)
    }

    @Test func ipv6Endpoint() throws {
        let token = EnrollmentToken.generate(address: "[::1]:7444", caFingerprint: fingerprint, host: "web-02")
        #expect(try EnrollmentToken.decode(token.encoded).endpoint?.host == "::1")
    }

    @Test func refusesTruncatedForgedAndDamagedTokens() {
        let token = EnrollmentToken.generate(address: "127.0.0.1:7444", caFingerprint: fingerprint, host: "web-02").encoded
        var flipped = Array(token.utf8)
        flipped[20] = flipped[20] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let forged = "hdm1." + Base64URL.encode(Array(#"{"a":"127.0.0.1:7444","f":"\#(fingerprint)","h":"web-02","i":"00","s":"AA"}"#.utf8))
        let cases = [
            "", "hdm1.", "hdm2." + token.dropFirst(5), String(token.dropLast(10)), String(token.prefix(40)), token + "!",
            String(decoding: flipped, as: UTF8.self), forged, "hdm1." + Base64URL.encode(Array("[1,2]".utf8)),
        ]
        for text in cases {
            do {
                _ = try EnrollmentToken.decode(text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.code == .invalidToken)
            }
        }
    }

    @Test func base64URLRoundTrip() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 250) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
        #expect(Base64URL.decode("a+b/") == nil)
        #expect(Base64URL.decode("a") == nil)
    }
}

@Suite struct EnrollmentMessageTests {
    @Test func decodesEnroll() throws {
        let request = try EnrollRequest.decode(ByteBuffer(string: #"{"type":"enroll","token":"t","csr":"c","x":1}"#))
        #expect(request == EnrollRequest(token: "t", csr: "c"))
        #expect(throws: ProtocolError.self) { try EnrollRequest.decode(ByteBuffer(string: #"{"type":"enroll","token":"t"}"#)) }
        #expect(throws: ProtocolError.self) { try EnrollRequest.decode(ByteBuffer(string: #"{"type":"hello","protocol":1}"#)) }
    }

    @Test func repliesRoundTrip() throws {
        let enrolled = Enrolled(host: "web-02", certificate: "C", ca: "A", hub: "hub:7443")
        let payload = ByteBuffer(bytes: MessageCoding.payload(EnrollmentReply.enrolled(enrolled).jsonValue))
        #expect(try EnrollmentReply.decode(payload) == .enrolled(enrolled))
        let error = EnrollmentReply.error(ErrorReport(code: .tokenUsed, message: "used"))
        #expect(try EnrollmentReply.decode(ByteBuffer(bytes: MessageCoding.payload(error.jsonValue))) == error)
    }
}

@Suite struct EnrollmentStateMachineTests {
    let request = EnrollRequest(token: "t", csr: "c")
    let enrolled = Enrolled(host: "web-02", certificate: "C", ca: "A", hub: "hub:7443")

    @Test func enrollCheckAnswerClose() {
        var machine = EnrollmentStateMachine()
        #expect(machine.received(.success(request)) == .check(request))
        #expect(machine.state == .checking)
        #expect(machine.received(.success(request)) == .sendAndClose(.error(ErrorReport(
            code: .protocolViolation, message: "only one enroll frame is allowed per connection", fatal: true
        ))))
        #expect(machine.checked(.success(enrolled)) == .none)
    }

    @Test func answersTheCheck() {
        var machine = EnrollmentStateMachine()
        _ = machine.received(.success(request))
        #expect(machine.deadlinePassed() == .none)
        #expect(machine.checked(.success(enrolled)) == .sendAndClose(.enrolled(enrolled)))
        #expect(machine.state == .closing)
        #expect(machine.checked(.success(enrolled)) == .none)
    }

    @Test func refusals() {
        var machine = EnrollmentStateMachine()
        _ = machine.received(.success(request))
        #expect(machine.checked(.failure(ProtocolError(.nameMismatch, "n"))) == .sendAndClose(.error(ErrorReport(code: .nameMismatch, message: "n"))))

        var silent = EnrollmentStateMachine()
        guard case .sendAndClose(.error(let report)) = silent.deadlinePassed() else {
            Issue.record("no timeout error")
            return
        }
        #expect(report.code == .handshakeTimeout && report.fatal)
        #expect(silent.received(.success(request)) == .none)

        var malformed = EnrollmentStateMachine()
        guard case .sendAndClose(.error(let invalid)) = malformed.decodingFailed(ProtocolError(.invalidFrame, "x")) else {
            Issue.record("no invalid_frame error")
            return
        }
        #expect(invalid.code == .invalidFrame)
        #expect(malformed.checked(.success(enrolled)) == .none)
    }
}
