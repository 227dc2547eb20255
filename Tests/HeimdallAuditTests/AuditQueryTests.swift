import Foundation
import HeimdallAudit
import HeimdallProtocol
import HeimdallStore
import HeimdallTestSupport
import Testing

@Suite(.serialized) struct AuditQueryTests {
    let base = Date(timeIntervalSince1970: 1_795_169_702)

    private func seed(_ database: Database) async throws {
        let web = [
            Fixtures.event(1, message: Fixtures.trickyMessage, at: base, fields: ["user": .string("root")]),
            Fixtures.event(2, category: .privilege, message: "sudo, with \"quotes\"", at: base + 60),
            Fixtures.event(3, category: .auth, message: "later", at: base + 3_600),
        ]
        let db = [Fixtures.event(4, category: .service, message: "started", at: base + 30)]
        let batches = [
            IngestBatch(
                hostID: "web01", sessionID: Fixtures.session, certificateSerial: "0A1B2C",
                certificateFingerprint: Fixtures.fingerprint, receivedAt: base + 5, payload: .events(web)
            ),
            IngestBatch(
                hostID: "db01", sessionID: UUID(), certificateSerial: "0D0E0F",
                certificateFingerprint: String(repeating: "cd", count: 32), receivedAt: base + 5, payload: .events(db)
            ),
        ]
        try await database.withConnection { connection in
            _ = try EventWriter().write(batches, on: connection)
            try HostRecords().sessionStarted(
                "web01", sessionID: Fixtures.session, certificateSerial: "0A1B2C",
                certificateFingerprint: Fixtures.fingerprint, remoteAddress: "192.0.2.7",
                agent: AgentInfo(version: "0.1.0", os: "linux"), on: connection
            )
            try HostRecords().setStatus("web01", to: .online, reason: "test", on: connection)
            try HostRecords().recordHeartbeat(
                "web01", spool: SpoolHealth(pendingEvents: 12, oldestPending: nil, droppedTotal: 3), on: connection
            )
        }
    }

    @Test func filtersAndRendersEvents() async throws {
        let database = try await TestDatabase.freshDatabase(name: "audit_events")
        try await seed(database)
        let queries = AuditQueries(database: database)

        let all = try await queries.events(EventFilter())
        #expect(all.map(\.event.id) == ["0000000000000001", "0000000000000004", "0000000000000002", "0000000000000003"])
        #expect(all[0].certificateSerial == "0A1B2C")
        #expect(all[0].event.message == Fixtures.trickyMessage)

        let web = try await queries.events(EventFilter(host: "web01", category: .auth))
        #expect(web.map(\.event.id) == ["0000000000000001", "0000000000000003"])

        let window = try await queries.events(EventFilter(since: base + 30, until: base + 3_600))
        #expect(window.map(\.event.id) == ["0000000000000004", "0000000000000002"])

        let limited = try await queries.events(EventFilter(limit: 1))
        #expect(limited.count == 1)

        let json = try JSONParser.parse(Array(EventReport.render(all, format: .json).utf8))
        #expect(json.arrayValue?.first?["fields"] == .object(["user": .string("root")]))
        #expect(json.arrayValue?.first?["session_id"]?.stringValue == Fixtures.session.uuidString.lowercased())
        let csv = EventReport.render(web, format: .csv)
        await database.close()
        #expect(csv.contains("\"Failed password for \"\"root\"\", from 203.0.113.9\nsecond line\tтест ✓ 日本\""))
    }

    @Test func listsHosts() async throws {
        let database = try await TestDatabase.freshDatabase(name: "audit_hosts")
        try await seed(database)
        let hosts = try await AuditQueries(database: database).hosts()
        #expect(hosts.map(\.hostID) == ["web01"])
        let table = HostReport.render(hosts, format: .table)
        #expect(table.contains("web01"))
        #expect(table.contains("online"))
        #expect(table.contains("0A1B2C"))
        #expect(table.contains("0.1.0"))
        let json = try JSONParser.parse(Array(HostReport.render(hosts, format: .json).utf8))
        let host = try #require(json.arrayValue?.first)
        #expect(host["status"]?.stringValue == "online")
        #expect(host["spool_pending_events"]?.intValue == 12)
        #expect(host["spool_dropped_total"]?.intValue == 3)
        #expect(host["cert_serial"]?.stringValue == "0A1B2C")
        #expect(host["last_heartbeat"]?.stringValue != nil)
        #expect(host["agent_version"]?.stringValue == "0.1.0")
        await database.close()
    }
}
