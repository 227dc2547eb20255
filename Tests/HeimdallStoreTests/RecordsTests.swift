import Foundation
import HeimdallProtocol
import HeimdallStore
import HeimdallTestSupport
import Testing

@Suite(.serialized) struct RecordsTests {
    let hosts = HostRecords()
    let sessions = SessionRecords()
    let certificates = CertificateRecords()

    @Test func hostStatusChangesOnlyOnRealChange() async throws {
        let database = try await Fixtures.database("records_hosts")
        defer { Task { await database.close() } }
        let hosts = self.hosts
        let session = UUID()
        try await database.withConnection { connection in
            try hosts.sessionStarted(
                "web-1", sessionID: session, certificateSerial: "0A", certificateFingerprint: "ff",
                remoteAddress: "10.0.0.5:5555", agent: AgentInfo(version: "1.0", os: "linux", arch: "x86_64", hostname: "web-1"),
                on: connection
            )
            #expect(try hosts.status(of: "web-1", on: connection) == .offline)
            #expect(try hosts.setStatus("web-1", to: .online, reason: "hello", on: connection))
            #expect(try !hosts.setStatus("web-1", to: .online, reason: "hello again", on: connection))
            #expect(try hosts.setStatus("web-1", to: .stale, reason: "missed heartbeats", on: connection))
            #expect(try hosts.setStatus("web-1", to: .online, reason: "heartbeat", on: connection))
            #expect(try !hosts.setStatus("ghost", to: .online, reason: nil, on: connection))
            let changes = try hosts.statusChanges(of: "web-1", on: connection)
            #expect(changes.map(\.to) == [.online, .stale, .online])
            #expect(changes.map(\.from) == [.offline, .online, .stale])
            #expect(changes.first?.reason == "hello")
            try hosts.sessionStarted(
                "web-2", sessionID: UUID(), certificateSerial: "0B", certificateFingerprint: "ee", remoteAddress: nil,
                agent: AgentInfo(), on: connection
            )
            #expect(try hosts.markOfflineWithoutOpenSession(reason: "hub restarted", on: connection) == ["web-1"])
            #expect(try hosts.markOfflineWithoutOpenSession(reason: "hub restarted", on: connection) == [])
            #expect(try hosts.statusChanges(of: "web-1", on: connection).last?.from == .online)
        }
    }

    @Test func heartbeatTouchAndList() async throws {
        let database = try await Fixtures.database("records_heartbeat")
        defer { Task { await database.close() } }
        let hosts = self.hosts
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        try await database.withConnection { connection in
            for name in ["b-host", "a-host"] {
                try hosts.sessionStarted(
                    name, sessionID: UUID(), certificateSerial: "01", certificateFingerprint: "aa", remoteAddress: nil,
                    agent: AgentInfo(), at: start, on: connection
                )
            }
            let oldest = start.addingTimeInterval(-60)
            try hosts.recordHeartbeat("a-host", at: start.addingTimeInterval(10), spool: SpoolHealth(pendingEvents: 12, oldestPending: oldest, droppedTotal: 3), on: connection)
            try hosts.touch("a-host", at: start.addingTimeInterval(5), on: connection)
            let list = try hosts.list(on: connection)
            #expect(list.map(\.hostID) == ["a-host", "b-host"])
            let host = try #require(list.first)
            #expect(host.lastHeartbeat == start.addingTimeInterval(10))
            #expect(host.lastSeen == start.addingTimeInterval(10))
            #expect(host.spool == SpoolHealth(pendingEvents: 12, oldestPending: oldest, droppedTotal: 3))
            #expect(list.last?.spool == nil)
            #expect(list.last?.lastHeartbeat == nil)
        }
    }

    @Test func heartbeatsRecordedTogetherEqualThemOneByOne() async throws {
        let database = try await Fixtures.database("records_heartbeats")
        defer { Task { await database.close() } }
        let hosts = self.hosts
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let first = SpoolHealth(pendingEvents: 5, oldestPending: start, droppedTotal: 1)
        let second = SpoolHealth(pendingEvents: 0, oldestPending: nil, droppedTotal: 2)
        try await database.withConnection { connection in
            for name in ["a-host", "b-host"] {
                try hosts.sessionStarted(
                    name, sessionID: UUID(), certificateSerial: "01", certificateFingerprint: "aa", remoteAddress: nil,
                    agent: AgentInfo(), at: start, on: connection
                )
            }
            try hosts.recordHeartbeat("b-host", at: start.addingTimeInterval(1), spool: first, on: connection)
            // Out of order and repeated: the latest time wins, and the last spool report.
            try hosts.recordHeartbeats([
                HostHeartbeat(hostID: "a-host", at: start.addingTimeInterval(30), spool: first),
                HostHeartbeat(hostID: "a-host", at: start.addingTimeInterval(20), spool: second),
                HostHeartbeat(hostID: "a-host", at: start.addingTimeInterval(25), spool: nil),
                HostHeartbeat(hostID: "b-host", at: start.addingTimeInterval(40), spool: nil),
                HostHeartbeat(hostID: "unknown", at: start, spool: first),
            ], on: connection)
            try hosts.recordHeartbeats([], on: connection)
            let list = try hosts.list(on: connection)
            #expect(list.map(\.hostID) == ["a-host", "b-host"])
            #expect(list.map(\.lastHeartbeat) == [start.addingTimeInterval(30), start.addingTimeInterval(40)])
            #expect(list.map(\.spool) == [second, first])
        }
    }

    @Test func sessionsStartEndAndRecover() async throws {
        let database = try await Fixtures.database("records_sessions")
        defer { Task { await database.close() } }
        let sessions = self.sessions
        let (first, second, other) = (UUID(), UUID(), UUID())
        try await database.withConnection { connection in
            for (id, hub) in [(first, "hub-a"), (second, "hub-a"), (other, "hub-b")] {
                try sessions.start(SessionRecord(
                    sessionID: id, hostID: "web-1", certificateSerial: "0A", certificateFingerprint: "ff",
                    remoteAddress: "10.0.0.5:1", hubID: hub, protocolVersion: 1, agentVersion: "1.0"
                ), on: connection)
            }
            try sessions.countFrames(first, count: 3, on: connection)
            #expect(try sessions.end(first, reason: "bye", on: connection))
            #expect(try !sessions.end(first, reason: "again", on: connection))
            #expect(try sessions.endAllOpen(hubID: "hub-a", reason: "hub restarted", on: connection) == 1)
            let record = try #require(try sessions.session(first, on: connection))
            #expect(record.endReason == "bye")
            #expect(record.framesReceived == 3)
            #expect(record.protocolVersion == 1)
            #expect(try sessions.session(second, on: connection)?.endReason == "hub restarted")
            #expect(try sessions.open(on: connection).map(\.sessionID) == [other])
        }
    }

    @Test func certificateInventory() async throws {
        let database = try await Fixtures.database("records_certs")
        defer { Task { await database.close() } }
        let certificates = self.certificates
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        try await database.withConnection { connection in
            try certificates.insert(serial: "0a", hostID: "web-1", fingerprint: "AB", notBefore: now, notAfter: now.addingTimeInterval(86_400), pem: "PEM1", issuedAt: now, on: connection)
            try certificates.insert(serial: "0B", hostID: "web-1", fingerprint: "cd", notBefore: now, notAfter: now.addingTimeInterval(86_400), pem: "PEM2", issuedAt: now.addingTimeInterval(1), on: connection)
            do {
                try certificates.insert(serial: "0C", hostID: "web-2", fingerprint: "ab", notBefore: now, notAfter: now, pem: "x", on: connection)
                Issue.record("duplicate fingerprint accepted")
            } catch let error as PostgresError {
                #expect(error.code == .uniqueViolation)
            }
            #expect(try certificates.supersede(hostID: "web-1", except: "0b", on: connection) == 1)
            try certificates.markSeen(serial: "0B", at: now, address: "10.0.0.5", on: connection)
            #expect(try certificates.revoke(serial: "0a", reason: "keyCompromise", on: connection))
            #expect(try !certificates.revoke(serial: "0A", reason: nil, on: connection))
            #expect(try certificates.revokedSerials(on: connection) == ["0A"])
            let list = try certificates.list(on: connection)
            #expect(list.map(\.serial) == ["0B", "0A"])
            #expect(list.first?.lastAddress == "10.0.0.5")
            #expect(list.first?.status == .active)
            #expect(list.first?.fingerprint == "cd")
            #expect(list.last?.fingerprint == "ab")
            #expect(try certificates.revokeAll(hostID: "web-1", reason: "host retired", on: connection) == ["0B"])
        }
    }

    @Test func eventQueriesFilterAndOrder() async throws {
        let database = try await Fixtures.database("records_events")
        defer { Task { await database.close() } }
        let base = Date(timeIntervalSince1970: 1_790_000_000)
        var dns = Fixtures.event(100, at: base)
        dns.category = .dns
        let sameTime = [Fixtures.event(2, at: base.addingTimeInterval(-1)), Fixtures.event(1, at: base)]
        let batches = [Fixtures.batch("web-1", sameTime + [dns]), Fixtures.batch("web-2", [Fixtures.event(5, at: base)])]
        _ = try await database.withConnection { try EventWriter().write(batches, on: $0) }
        let queries = EventQueries()
        let all = try await database.withConnection { try queries.list(on: $0) }
        // Events 1 and 2 share an instant: the event id breaks the tie.
        #expect(all.map(\.event.id) == ["0000000000000001", "0000000000000002", "0000000000000005", "0000000000000064"])
        let web1 = try await database.withConnection { try queries.list(host: "web-1", on: $0) }
        #expect(web1.map(\.event.id) == ["0000000000000001", "0000000000000002", "0000000000000064"])
        let onlyDNS = try await database.withConnection { try queries.list(category: .dns, on: $0) }
        #expect(onlyDNS.map(\.event.category) == [.dns])
        let window = try await database.withConnection {
            try queries.list(since: base.addingTimeInterval(1.5), until: base.addingTimeInterval(6), limit: 1, on: $0)
        }
        #expect(window.map(\.event.id) == ["0000000000000005"])
        #expect(window.first?.certificateFingerprint == String(repeating: "ab", count: 32))
    }
}
