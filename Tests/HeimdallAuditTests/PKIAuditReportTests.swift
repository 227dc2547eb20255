import Foundation
import HeimdallAudit
import HeimdallPKI
import HeimdallProtocol
import HeimdallStore
import HeimdallTestSupport
import Testing

@Suite(.serialized) struct PKIAuditReportTests {
    @Test func theLogIsFilteredByHostAndRenderedInEveryFormat() async throws {
        let database = try await TestDatabase.freshDatabase(name: "audit_pki")
        defer { Task { await database.close() } }
        try await database.withConnection { connection in
            try PKIAuditLog().record(actor: "root", action: "issue", hostID: "web-01", serial: "0A", outcome: "success", detail: "bundle, \"quoted\"", on: connection)
            try PKIAuditLog().record(actor: "heimdall-hub", action: "clone_suspected", hostID: "web-01", serial: "0A", outcome: "alert", on: connection)
            try PKIAuditLog().record(actor: "root", action: "issue", hostID: "db-01", serial: "0B", outcome: "success", on: connection)
        }
        let entries = try await AuditQueries(database: database).pkiLog(host: "WEB-01")
        #expect(entries.map(\.action) == ["issue", "clone_suspected"])

        let table = PKIAuditReport.render(entries, format: .table)
        #expect(table.contains("clone_suspected"))
        #expect(table.split(separator: "\n").count == 3)
        let csv = PKIAuditReport.render(entries, format: .csv)
        #expect(csv.contains(#""bundle, ""quoted""""#))
        let json = try JSONParser.parse(Array(PKIAuditReport.render(entries, format: .json).utf8))
        #expect(json.arrayValue?.count == 2)
        #expect(json.arrayValue?.last?["detail"] == .null)
        #expect(json.arrayValue?.first?["host_id"] == "web-01")
    }
}
