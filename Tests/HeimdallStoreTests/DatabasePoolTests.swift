import Foundation
import HeimdallStore
import HeimdallTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized) struct DatabasePoolTests {
    @Test func reconnectsAfterTerminatedBackend() async throws {
        let url = try await TestDatabase.fresh(name: "pool_reconnect")
        let database = try await Database.open(.init(url: url, poolSize: 1))
        defer { Task { await database.close() } }
        let before = try await database.withConnection { $0.backendPID }
        let killer = try PostgresConnection(url: url)
        let killed = try killer.query("SELECT pg_terminate_backend($1::int) AS ok", [.int(Int(before))])
        #expect(killed.first?.bool("ok") == true)
        // pg_terminate_backend only signals: wait until the backend is gone (a busy machine
        // can otherwise answer one more query on it).
        let gone = ContinuousClock.now + .seconds(10)
        while try killer.query("SELECT count(*) AS n FROM pg_stat_activity WHERE pid = $1", [.int(Int(before))]).first?.int("n") != 0,
              ContinuousClock.now < gone {
            try await Task.sleep(for: .milliseconds(20))
        }
        // The body that meets the dead session gets the error, not a retry.
        do {
            try await database.withConnection { try $0.execute("SELECT 1") }
            Issue.record("the terminated connection answered")
        } catch let error as PostgresError {
            #expect(error.code == .connectionLost)
        }
        let after = try await database.withConnection { connection -> Int32 in
            try connection.execute("SELECT 1")
            return connection.backendPID
        }
        #expect(after != before)
    }

    @Test func concurrentBorrowersShareASmallPool() async throws {
        let database = try await Fixtures.database("pool_share", poolSize: 2)
        defer { Task { await database.close() } }
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for number in 0..<20 {
                group.addTask {
                    try await database.withConnection { connection in
                        try connection.query("SELECT $1::bigint + 1 AS n, pg_sleep(0.01)", [.int(number)]).first?.int("n") ?? -1
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results.sorted() == Array(1...20))
    }

    @Test func wrongPortIsConnectionFailed() async throws {
        let cluster = try await TestDatabase.cluster()
        let url = "postgresql://heimdall@/heimdall?host=\(cluster.socketDirectory)&port=1"
        do {
            _ = try await Database.open(.init(url: url, poolSize: 1, reconnect: .init(attempts: 2, initialDelay: 0.01)))
            Issue.record("opened a database on a dead port")
        } catch let error as PostgresError {
            #expect(error.code == .connectionFailed)
            #expect(error.description.hasPrefix("Cannot connect to PostgreSQL: "))
            #expect(!error.description.contains("\n"))
        }
        #expect(throws: PostgresError.self) { try PostgresConnection(url: "host=127.0.0.1 port=1 dbname=x connect_timeout=2") }
    }

    @Test func stoppedClusterIsConnectionFailedThenRecovers() async throws {
        let made = try ChildProcessHelper.mktemp()
        let port = 20_000 + Int(getpid() % 20_000)
        let cluster = PostgresCluster(directory: made, port: port, listenAddress: "127.0.0.1", durable: false)
        defer { try? cluster.stop(mode: "immediate"); try? FileManager.default.removeItem(at: made) }
        try cluster.initializeIfNeeded()
        try cluster.start()
        try cluster.start()
        #expect(try cluster.isRunning)
        let overTCP = try PostgresConnection(url: cluster.connectionURL(tcp: true))
        #expect(try overTCP.query("SELECT inet_server_addr()::text AS a").first?.string("a") == "127.0.0.1/32")
        let database = try await Database.open(.init(url: cluster.connectionURL(), poolSize: 1, reconnect: .init(attempts: 2, initialDelay: 0.01)))
        defer { Task { await database.close() } }
        try cluster.stop()
        #expect(try !cluster.isRunning)
        try cluster.stop()
        do {
            try await database.withConnection { try $0.execute("SELECT 1") }
            Issue.record("a stopped cluster answered")
        } catch let error as PostgresError {
            #expect(error.isConnectionError)
        }
        do {
            try await database.withConnection { try $0.execute("SELECT 1") }
            Issue.record("a stopped cluster answered")
        } catch let error as PostgresError {
            #expect(error.code == .connectionFailed)
        }
        try cluster.start()
        try await database.withConnection { try $0.execute("SELECT 1") }
    }
}
