import Foundation
import HeimdallStore
import HeimdallTestSupport
import Testing

@Suite(.serialized) struct ConnectionTests {
    @Test func selectsOne() async throws {
        let url = try await TestDatabase.fresh(name: "smoke")
        let connection = try PostgresConnection(url: url)
        let rows = try connection.query("SELECT 1 AS one, $1::text AS greeting", [.string("hi")])
        #expect(rows.first?.int("one") == 1)
        #expect(rows.first?.string("greeting") == "hi")
    }
}
