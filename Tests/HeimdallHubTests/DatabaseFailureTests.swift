import Foundation
import HeimdallHub
import HeimdallProtocol
import HeimdallStore
import HeimdallTestSupport
import Testing

/// What agents see when PostgreSQL stalls or dies: nothing is acknowledged that is not
/// committed, and nothing acknowledged is lost.
@Suite(.serialized) struct DatabaseFailureTests {
    @Test func aStalledDatabaseDelaysAcksAndLosesNothing() async throws {
        let harness = try await HubHarness(name: "stalled")
        let (connection, _) = try await harness.welcomed(as: "web-01")
        let blocker = try PostgresConnection(url: harness.databaseURL)
        try Self.lockEvents(blocker)
        for seq in 1...4 {
            try await connection.send(TestEvents.frame(seq: seq, count: 10, prefix: "b\(seq)"))
        }
        await #expect(throws: HarnessError.self) { _ = try await connection.receive(timeout: .seconds(1)) }
        try blocker.execute("COMMIT")
        #expect(try await harness.eventually { try await harness.count("SELECT count(*) FROM events") == 40 })
        await connection.close()
        await harness.stop()
    }

    /// Takes and keeps an exclusive lock on `events` in an open transaction. The hub may be
    /// creating a day's partition right then (at start-up), and PostgreSQL may pick this lock
    /// as the victim of the deadlock the two make: then it is taken again.
    private static func lockEvents(_ connection: PostgresConnection) throws {
        for attempt in 1...10 {
            try connection.execute("BEGIN")
            do {
                try connection.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE")
                return
            } catch let error as PostgresError where error.sqlState == "40P01" && attempt < 10 {
                try connection.execute("ROLLBACK")
            }
        }
    }

    @Test func aDeadDatabaseEndsTheSessionWithoutAnAck() async throws {
        let harness = try await HubHarness(name: "dead")
        let (connection, _) = try await harness.welcomed(as: "web-01")
        let name = try await harness.query("SELECT current_database() AS name").first?.string("name") ?? ""
        let admin = try PostgresConnection(url: try await TestDatabase.cluster().connectionURL())
        try admin.execute("DROP DATABASE \"\(name)\" WITH (FORCE)")
        try await connection.send(TestEvents.frame(seq: 1, count: 10))
        let messages = try await connection.receiveUntilClosed(timeout: .seconds(20))
        #expect(messages.count == 1)
        guard case .error(let report)? = messages.last else {
            Issue.record("expected an error, got \(messages)")
            return
        }
        #expect(report.code == .internal)
        #expect(report.fatal)
        await harness.stop()
    }
}
