import Foundation
import Testing
@testable import HeimdallProtocol

@Suite struct HubSessionStateMachineTests {
    let limits = SessionLimits(heartbeatInterval: 30, maximumFrameLength: 1024, maximumBatchSize: 2, window: 2)
    let now = Date(timeIntervalSince1970: 1_795_169_702)
    let hello = Hello(protocolVersion: 1, agent: AgentInfo(hostname: "spoofed"))

    func active() -> HubSessionStateMachine {
        var machine = HubSessionStateMachine(host: "web-01", sessionID: "sid", limits: limits)
        _ = machine.received(.hello(hello), now: now)
        return machine
    }

    func batch(_ seq: UInt64, count: Int = 1) -> AgentMessage {
        let event = Event(id: String(repeating: "a", count: 32), timestamp: now, category: .auth, severity: .info, source: "t", message: "m")
        return .events(EventBatch(sequenceNumber: seq, events: Array(repeating: event, count: count)))
    }

    func fatal(_ action: HubSessionStateMachine.Action) -> ProtocolErrorCode? {
        guard case .sendAndClose(let messages) = action, case .error(let report)? = messages.last, report.fatal else { return nil }
        return report.code
    }

    @Test func helloGetsWelcomeWithTheCertificateHost() {
        var machine = HubSessionStateMachine(host: "web-01", sessionID: "sid", limits: limits)
        guard case .welcome(let welcome, _) = machine.received(.hello(hello), now: now) else {
            Issue.record("no welcome")
            return
        }
        #expect(welcome.host == "web-01")
        #expect(welcome.window == 2)
        #expect(welcome.protocolVersion == 1)
    }

    @Test func aNewerAgentIsWelcomedWithVersionOneAndAnOlderOneRefused() {
        var newer = HubSessionStateMachine(host: "h", sessionID: "s", limits: limits)
        guard case .welcome(let welcome, _) = newer.received(.hello(Hello(protocolVersion: 7, agent: AgentInfo())), now: now) else {
            Issue.record("no welcome")
            return
        }
        #expect(welcome.protocolVersion == 1)
        var older = HubSessionStateMachine(host: "h", sessionID: "s", limits: limits)
        #expect(fatal(older.received(.hello(Hello(protocolVersion: 0, agent: AgentInfo())), now: now)) == .unsupportedProtocol)
    }

    @Test func dataBeforeHelloAndASecondHelloAreViolations() {
        var machine = HubSessionStateMachine(host: "h", sessionID: "s", limits: limits)
        #expect(fatal(machine.received(batch(1), now: now)) == .protocolViolation)
        var again = active()
        #expect(fatal(again.received(.hello(hello), now: now)) == .protocolViolation)
    }

    @Test func acksLeaveInSequenceOrderOnlyAfterCommit() {
        var machine = active()
        #expect(machine.received(batch(1), now: now) == .submit(.events(EventBatch(sequenceNumber: 1, events: [batch1Event]))))
        _ = machine.received(batch(2), now: now)
        #expect(!machine.wantsRead)
        #expect(machine.committed(2, stored: 1, duplicates: 0) == .none)
        #expect(machine.committed(1, stored: 0, duplicates: 1) == .sendAcks([
            Ack(sequenceNumber: 1, stored: 0, duplicates: 1), Ack(sequenceNumber: 2, stored: 1, duplicates: 0),
        ]))
        #expect(machine.wantsRead)
    }

    var batch1Event: Event {
        Event(id: String(repeating: "a", count: 32), timestamp: now, category: .auth, severity: .info, source: "t", message: "m")
    }

    @Test func sequenceMustStartAtOneAndGrowByOne() {
        var machine = active()
        #expect(fatal(machine.received(batch(2), now: now)) == .badSequence)
        var other = active()
        _ = other.received(batch(1), now: now)
        #expect(fatal(other.received(batch(1), now: now)) == .badSequence)
    }

    @Test func oversizedBatchIsRefused() {
        var machine = active()
        #expect(fatal(machine.received(batch(1, count: 3), now: now)) == .batchTooLarge)
    }

    @Test func unknownTypeIsNotFatal() {
        var machine = active()
        guard case .sendError(let report) = machine.received(.unknown(type: "x"), now: now) else {
            Issue.record("expected a non-fatal error")
            return
        }
        #expect(report.code == .unknownType)
        #expect(!report.fatal)
        #expect(!machine.isClosed)
    }

    @Test func enrollOnTheSessionPortIsAClearFatalError() {
        var machine = active()
        #expect(fatal(machine.received(.unknown(type: "enroll"), now: now)) == .protocolViolation)
        #expect(machine.isClosed)
    }

    @Test func heartbeatIsAnsweredWithAnEcho() {
        var machine = active()
        let heartbeat = Heartbeat(timestamp: "2026-11-20T10:15:30Z", spool: nil)
        #expect(machine.received(.heartbeat(heartbeat), now: now) == .pong(Pong(timestamp: RFC3339.format(now), echo: "2026-11-20T10:15:30Z"), heartbeat))
    }

    @Test func byeFlushesPendingAcksThenCloses() {
        var machine = active()
        _ = machine.received(batch(1), now: now)
        #expect(machine.received(.bye, now: now) == .none)
        #expect(machine.committed(1, stored: 1, duplicates: 0) == .sendAndClose([.ack(Ack(sequenceNumber: 1, stored: 1, duplicates: 0))]))
        #expect(machine.isClosed)
    }

    @Test func shutdownAcksThenSaysShuttingDown() {
        var machine = active()
        _ = machine.received(batch(1), now: now)
        #expect(machine.shutdown() == .none)
        guard case .sendAndClose(let messages) = machine.committed(1, stored: 1, duplicates: 0) else {
            Issue.record("expected close")
            return
        }
        #expect(messages.count == 2)
        #expect(messages.first == .ack(Ack(sequenceNumber: 1, stored: 1, duplicates: 0)))
        #expect(messages.last == .error(ErrorReport(code: .shuttingDown, message: "the hub is shutting down")))
    }

    @Test func deadlinesAndTerminations() {
        var waiting = HubSessionStateMachine(host: "h", sessionID: "s", limits: limits)
        #expect(fatal(waiting.helloDeadlinePassed()) == .handshakeTimeout)
        var idle = active()
        #expect(idle.helloDeadlinePassed() == .none)
        #expect(fatal(idle.idleDeadlinePassed()) == .idleTimeout)
        var superseded = active()
        #expect(fatal(superseded.terminate(.superseded, "newer session")) == .superseded)
        #expect(superseded.received(batch(1), now: now) == .none)
    }

    @Test func aStatusWithABadTimestampIsRejectedInItsAck() {
        var machine = active()
        _ = machine.received(.status(StatusReport(sequenceNumber: 1, takenAt: nil, metrics: .object([:]))), now: now)
        #expect(machine.committed(1, stored: 0, duplicates: 0) == .sendAcks([
            Ack(sequenceNumber: 1, stored: 0, duplicates: 0, rejected: [EventRejection(index: 0, reason: "invalid ts")]),
        ]))
    }

    @Test func aFailedWriteEndsTheSessionWithoutAck() {
        var machine = active()
        _ = machine.received(batch(1), now: now)
        #expect(fatal(machine.writeFailed(1)) == .internal)
    }

    @Test func renewalIsPassedOnOneAtATime() {
        var machine = active()
        let request = RenewalRequest(csr: "-----BEGIN CERTIFICATE REQUEST-----")
        #expect(machine.received(.renew(request), now: now) == .renew(request))
        guard case .sendError(let report) = machine.received(.renew(request), now: now) else {
            Issue.record("expected a non-fatal error")
            return
        }
        #expect(!report.fatal)
        machine.renewalFinished()
        #expect(machine.received(.renew(request), now: now) == .renew(request))
        var waiting = HubSessionStateMachine(host: "h", sessionID: "s", limits: limits)
        #expect(fatal(waiting.received(.renew(request), now: now)) == .protocolViolation)
    }
}
