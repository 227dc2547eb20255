import Foundation
import HeimdallHub
import HeimdallStore
import HeimdallTestSupport
import Logging
import Testing
@testable import HeimdallBench

/// The load generator against a real hub on 127.0.0.1, briefly.
@Suite(.serialized) struct LoadRunnerTests {
    func withHub(_ body: (Hub, TestPKI, Database) async throws -> Void) async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let database = try await TestDatabase.freshDatabase(name: "bench", poolSize: 4)
        var configuration = HubConfiguration(pkiDirectory: URL(fileURLWithPath: pki.caDirectory))
        configuration.sessionAddress = ListenAddress(host: "127.0.0.1", port: 0)
        configuration.enrollmentAddress = nil
        var logger = Logger(label: "bench.hub")
        logger.logLevel = .warning
        let hub = try await Hub.start(configuration: configuration, database: database, logger: logger)
        try await body(hub, pki, database)
        await hub.shutdown(grace: .seconds(2))
        await database.close()
    }

    @Test func everyAcknowledgedEventIsInTheDatabase() async throws {
        try await withHub { hub, pki, database in
            var plan = LoadRunner.Plan()
            plan.hubPort = hub.sessionAddress.port ?? 0
            plan.sessions = 3
            plan.batchSize = 50
            plan.duration = .seconds(1)
            plan.baselineRows = 2_000
            let result = try await LoadRunner.run(
                plan, pkiDirectory: pki.caDirectory, run: "0000beef", database: database, hubPID: getpid(), logger: Logger(label: "bench")
            )
            #expect(result.sessionsWelcomed == 3)
            #expect(result.tally.stored > 0)
            #expect(result.storedInDatabase == result.tally.stored)
            #expect(result.tally.errors.isEmpty)
            let report = LoadReport.text(result, plan: plan, run: "0000beef")
            #expect(report.contains(#""database_matches":true"#))
            #expect(report.contains(#""hub_over_copy":"#) && report.contains("hub / baseline (same run)"))
            #expect((result.baseline?.copyRowsPerSecond ?? 0) > 0)
        }
    }

    @Test func nothingIsAcknowledgedWhileTheDatabaseIsLockedAndEverythingIsStoredOnceAfter() async throws {
        try await withHub { hub, pki, database in
            var plan = LoadRunner.Plan()
            plan.hubPort = hub.sessionAddress.port ?? 0
            plan.sessions = 4
            plan.batchSize = 100
            plan.duration = .seconds(4)
            plan.databasePause = DatabasePause(after: .seconds(1), length: .seconds(2))
            let result = try await LoadRunner.run(
                plan, pkiDirectory: pki.caDirectory, run: "0000d00d", database: database, hubPID: getpid(), logger: Logger(label: "bench")
            )
            let pause = try #require(result.pause)
            #expect(pause.seconds >= 2)
            #expect(pause.acksWhilePaused == 0)
            #expect(result.tally.stored > 0)
            #expect(result.storedInDatabase == result.tally.stored)
            #expect(result.tally.errors.isEmpty)
            let report = LoadReport.text(result, plan: plan, run: "0000d00d")
            #expect(report.contains(#""acks_while_paused":0"#))
            #expect(report.contains("database paused"))
        }
    }

    @Test func steadyStateFiguresOnceEverySessionIsWelcomed() async throws {
        try await withHub { hub, pki, database in
            var plan = LoadRunner.Plan()
            plan.hubPort = hub.sessionAddress.port ?? 0
            plan.sessions = 2
            plan.batchSize = 1
            plan.framesPerSecond = 20
            plan.duration = .seconds(3)
            let result = try await LoadRunner.run(plan, pkiDirectory: pki.caDirectory, run: "0000feed", database: database, hubPID: getpid(), logger: Logger(label: "bench"))
            #expect((result.steadySeconds ?? 0) >= 1)
            #expect(result.tally.steadyLatency.totalCount > 0)
            let steadyCPU = try #require(result.hubSteadyCPUPercent)
            let steadySystemCPU = try #require(result.hubSteadySystemCPUPercent)
            #expect(steadySystemCPU <= steadyCPU)
            let report = LoadReport.text(result, plan: plan, run: "0000feed")
            #expect(report.contains(#""hub_cpu_steady_percent""#))
            #expect(report.contains(#""hub_cpu_steady_system_percent""#))
        }
    }

    @Test func idleSessionsOnlyHeartbeat() async throws {
        try await withHub { hub, pki, database in
            var plan = LoadRunner.Plan()
            plan.hubPort = hub.sessionAddress.port ?? 0
            plan.sessions = 2
            plan.duration = .seconds(1)
            plan.heartbeatOnly = .milliseconds(200)
            let result = try await LoadRunner.run(plan, pkiDirectory: pki.caDirectory, run: "0000cafe", database: database, hubPID: getpid(), logger: Logger(label: "bench"))
            #expect(result.sessionsWelcomed == 2)
            #expect(result.tally.stored == 0)
            #expect(LoadReport.text(result, plan: plan, run: "0000cafe").contains(#""mode":"idle""#))
        }
    }
}
