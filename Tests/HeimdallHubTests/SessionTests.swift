import Foundation
import HeimdallHub
import HeimdallProtocol
import HeimdallStore
import Testing

@Suite(.serialized) struct SessionTests {
    func fatalCode(_ messages: [HubMessage]) -> ProtocolErrorCode? {
        guard case .error(let report)? = messages.last, report.fatal else { return nil }
        return report.code
    }

    @Test func helloGetsWelcomeNamedByTheCertificate() async throws {
        let harness = try await HubHarness(name: "welcome")
        let (connection, welcome) = try await harness.welcomed(as: "web-01")
        #expect(welcome.host == "web-01")
        #expect(welcome.protocolVersion == 1)
        #expect(welcome.window == 4)
        #expect(UUID(uuidString: welcome.sessionID) != nil)
        await connection.close()
        await harness.stop()
    }

    @Test func aBatchIsAckedAfterCommitAndCarriesTheCertificate() async throws {
        let harness = try await HubHarness(name: "batch")
        let bundle = try harness.pki.hostBundle("web-01")
        let (connection, welcome) = try await harness.welcomed(as: "web-01", bundle: bundle)
        try await connection.send(TestEvents.frame(seq: 1, count: 100, host: "evil-host"))
        #expect(try await connection.receive() == .ack(Ack(sequenceNumber: 1, stored: 100, duplicates: 0)))
        let rows = try await harness.query("SELECT host_id, cert_fingerprint, cert_serial, session_id::text AS session FROM events")
        #expect(rows.rows.count == 100)
        #expect(rows.allSatisfy { $0.string("host_id") == "web-01" })
        #expect(rows.allSatisfy { $0.string("cert_fingerprint") == bundle.issued.certificate.fingerprintSHA256 })
        #expect(rows.allSatisfy { $0.string("cert_serial") == bundle.issued.certificate.serialNumber })
        #expect(rows.allSatisfy { $0.string("session") == welcome.sessionID })

        try await connection.send(TestEvents.frame(seq: 2, count: 100, host: "evil-host"))
        #expect(try await connection.receive() == .ack(Ack(sequenceNumber: 2, stored: 0, duplicates: 100)))
        #expect(try await harness.count("SELECT count(*) FROM events") == 100)
        await connection.close()
        await harness.stop()
    }

    @Test func oneBadEventIsRejectedAndTheRestStored() async throws {
        let harness = try await HubHarness(name: "bad_event")
        let (connection, _) = try await harness.welcomed(as: "web-01")
        let bad = #"{"id":"ffffffffffffffffffffffffffffffff","ts":"yesterday","category":"auth","severity":"info","source":"x","message":"m"}"#
        try await connection.send(#"{"type":"events","seq":1,"events":[\#(TestEvents.json(count: 3)),\#(bad)]}"#)
        #expect(try await connection.receive() == .ack(Ack(sequenceNumber: 1, stored: 3, duplicates: 0, rejected: [EventRejection(index: 3, reason: "invalid ts")])))
        await connection.close()
        await harness.stop()
    }

    @Test func statusSnapshotsAreStoredOnceAndEmptyBatchesAcked() async throws {
        let harness = try await HubHarness(name: "status")
        let (connection, welcome) = try await harness.welcomed(as: "web-01")
        let status = #"{"type":"status","seq":1,"ts":"2026-11-20T10:15:02+01:00","metrics":{"cpu_percent":12.5,"load":[0.4,0.3,0.2],"memory":{"total":8,"used":3}}}"#
        try await connection.send(status)
        #expect(try await connection.receive() == .ack(Ack(sequenceNumber: 1, stored: 1, duplicates: 0)))
        try await connection.send(status.replacingOccurrences(of: #""seq":1"#, with: #""seq":2"#))
        #expect(try await connection.receive() == .ack(Ack(sequenceNumber: 2, stored: 0, duplicates: 1)))
        try await connection.send(#"{"type":"events","seq":3,"events":[]}"#)
        #expect(try await connection.receive() == .ack(Ack(sequenceNumber: 3, stored: 0, duplicates: 0)))
        let row = try await harness.query("SELECT taken_at, metrics->>'cpu_percent' AS cpu, session_id::text AS session FROM status_snapshots").first
        #expect(row?.date("taken_at") == RFC3339.parse("2026-11-20T09:15:02Z"))
        #expect(row?.string("cpu") == "12.5")
        #expect(row?.string("session") == welcome.sessionID)
        await connection.close()
        await harness.stop()
    }

    @Test func protocolErrorsCloseTheSession() async throws {
        let harness = try await HubHarness(name: "violations")
        let cases: [(prelude: [String], frame: String, code: ProtocolErrorCode)] = [
            ([], TestEvents.frame(seq: 1, count: 1), .protocolViolation),
            ([#"{"type":"hello","protocol":1}"#], TestEvents.frame(seq: 2, count: 1), .badSequence),
            ([#"{"type":"hello","protocol":1}"#], #"{"type":"hello","protocol":1}"#, .protocolViolation),
            ([], "this is not json", .invalidFrame),
            ([], #"[1,2,3]"#, .invalidFrame),
            ([#"{"type":"hello","protocol":1}"#], TestEvents.frame(seq: 1, count: 201), .batchTooLarge),
            ([], #"{"type":"hello","protocol":0}"#, .unsupportedProtocol),
        ]
        for (prelude, frame, code) in cases {
            let connection = try await harness.connect(as: "web-01")
            for message in prelude { try await connection.send(message) }
            try await connection.send(frame)
            let messages = try await connection.receiveUntilClosed()
            #expect(fatalCode(messages) == code, "\(frame.prefix(40)) → \(messages)")
        }
        await harness.stop()
    }

    @Test func aHugeLengthPrefixIsRefusedWithoutHarmingTheHub() async throws {
        let harness = try await HubHarness(name: "huge_prefix")
        let connection = try await harness.connect(as: "web-01")
        try await connection.sendRaw([0x7f, 0xff, 0xff, 0xff])
        #expect(fatalCode(try await connection.receiveUntilClosed()) == .frameTooLarge)
        let (other, welcome) = try await harness.welcomed(as: "web-02")
        #expect(welcome.host == "web-02")
        await other.close()
        await harness.stop()
    }

    @Test func unknownTypesAreNotFatalAndHeartbeatsArePonged() async throws {
        let harness = try await HubHarness(name: "unknown_type")
        let (connection, _) = try await harness.welcomed(as: "web-01")
        try await connection.send(#"{"type":"telemetry","x":1}"#)
        guard case .error(let report) = try await connection.receive() else {
            Issue.record("expected an error frame")
            return
        }
        #expect(report.code == .unknownType)
        #expect(!report.fatal)
        try await connection.send(#"{"type":"heartbeat","ts":"2026-11-20T10:15:30Z","spool":{"pending_events":7,"oldest_pending":null,"dropped_total":2}}"#)
        guard case .pong(let pong) = try await connection.receive() else {
            Issue.record("expected pong")
            return
        }
        #expect(pong.echo == "2026-11-20T10:15:30Z")
        #expect(RFC3339.parse(pong.timestamp) != nil)
        #expect(try await harness.eventually {
            try await harness.query("SELECT spool_pending_events, spool_dropped_total, last_heartbeat FROM hosts WHERE host_id = 'web-01'")
                .first.map { $0.int("spool_pending_events") == 7 && $0.int("spool_dropped_total") == 2 && $0.date("last_heartbeat") != nil } ?? false
        })
        await connection.close()
        await harness.stop()
    }

    @Test func byeFlushesAcksThenCloses() async throws {
        let harness = try await HubHarness(name: "bye")
        let (connection, _) = try await harness.welcomed(as: "web-01")
        try await connection.send(TestEvents.frame(seq: 1, count: 10))
        try await connection.send(#"{"type":"bye"}"#)
        let messages = try await connection.receiveUntilClosed()
        #expect(messages == [.ack(Ack(sequenceNumber: 1, stored: 10, duplicates: 0))])
        await harness.stop()
    }

    @Test func aNewerSessionSupersedesTheOlder() async throws {
        let harness = try await HubHarness(name: "supersede")
        let (first, _) = try await harness.welcomed(as: "web-01")
        let (second, _) = try await harness.welcomed(as: "web-01")
        #expect(fatalCode(try await first.receiveUntilClosed()) == .superseded)
        try await second.send(TestEvents.frame(seq: 1, count: 1))
        #expect(try await second.receive() == .ack(Ack(sequenceNumber: 1, stored: 1, duplicates: 0)))
        #expect(try await harness.eventually {
            try await harness.count("SELECT count(*) FROM sessions WHERE host_id = 'web-01' AND end_reason = 'superseded'") == 1
        })
        await second.close()
        await harness.stop()
    }

    @Test func hostGoesOnlineThenOfflineWithRecordedTransitions() async throws {
        let harness = try await HubHarness(name: "liveness")
        let (connection, _) = try await harness.welcomed(as: "web-01")
        #expect(try await harness.eventually {
            try await harness.query("SELECT status FROM hosts WHERE host_id = 'web-01'").first?.string("status") == "online"
        })
        await connection.close()
        #expect(try await harness.eventually {
            try await harness.query("SELECT status FROM hosts WHERE host_id = 'web-01'").first?.string("status") == "offline"
        })
        let transitions = try await harness.query("SELECT to_status FROM host_status_changes WHERE host_id = 'web-01' ORDER BY id")
        #expect(transitions.map { $0.string("to_status") ?? "" } == ["online", "offline"])
        await harness.stop()
    }

    @Test func silentSessionsAreClosedAtTheirDeadlines() async throws {
        let harness = try await HubHarness(name: "deadlines")
        let noHello = try await harness.connect(as: "web-01")
        #expect(fatalCode(try await noHello.receiveUntilClosed()) == .handshakeTimeout)
        let (idle, _) = try await harness.welcomed(as: "web-02")
        #expect(try await harness.eventually(timeout: .seconds(4)) {
            try await harness.query("SELECT status FROM hosts WHERE host_id = 'web-02'").first?.string("status") == "stale"
        })
        #expect(fatalCode(try await idle.receiveUntilClosed(timeout: .seconds(6))) == .idleTimeout)
        await harness.stop()
    }

    @Test func shutdownAcksThenSaysShuttingDown() async throws {
        let harness = try await HubHarness(name: "shutdown")
        let (connection, _) = try await harness.welcomed(as: "web-01")
        try await connection.send(TestEvents.frame(seq: 1, count: 5))
        #expect(try await connection.receive() == .ack(Ack(sequenceNumber: 1, stored: 5, duplicates: 0)))
        async let stopped: Void = harness.stop()
        #expect(fatalCode(try await connection.receiveUntilClosed()) == .shuttingDown)
        await stopped
    }

    @Test func oneCertificateFightingFromTwoAddressesIsRecordedAsAPossibleClone() async throws {
        let harness = try await HubHarness(name: "clone")
        let bundle = try harness.pki.hostBundle("web-01")
        var open: [TestAgentConnection] = []
        for round in 0..<4 {
            let connection = try await TestAgentConnection.connect(
                port: harness.port, bundle: bundle, caPath: harness.pki.caPath, from: round.isMultiple(of: 2) ? "127.0.0.1" : "127.0.0.2"
            )
            try await connection.send(#"{"type":"hello","protocol":1}"#)
            _ = try await connection.receive()
            open.append(connection)
        }
        #expect(try await harness.eventually {
            try await harness.count("SELECT count(*) FROM pki_audit WHERE action = 'clone_suspected' AND host_id = 'web-01'") == 1
        })
        let detail = try await harness.query("SELECT detail FROM pki_audit WHERE action = 'clone_suspected'").first?.string("detail")
        #expect(detail == "3 supersedes between 127.0.0.1, 127.0.0.2")
        for connection in open { await connection.close() }
        await harness.stop()
    }
}
