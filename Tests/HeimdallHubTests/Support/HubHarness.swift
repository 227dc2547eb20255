import Foundation
import HeimdallHub
import HeimdallProtocol
import HeimdallStore
import HeimdallTestSupport
import Logging
import NIOCore

/// A real hub on 127.0.0.1 (port 0) with a fresh PKI and a fresh database, for one test.
final class HubHarness: Sendable {
    let pki: TestPKI
    let database: Database
    let databaseURL: String
    let hub: Hub
    let configuration: HubConfiguration

    /// Short deadlines so tests exercise them in a fraction of a second.
    static func configuration(pki: TestPKI) -> HubConfiguration {
        var configuration = HubConfiguration(pkiDirectory: URL(fileURLWithPath: pki.caDirectory))
        configuration.sessionAddress = ListenAddress(host: "127.0.0.1", port: 0)
        configuration.enrollmentAddress = ListenAddress(host: "127.0.0.1", port: 0)
        configuration.enrollmentDeadline = .milliseconds(500)
        configuration.deadlines = SessionDeadlines(handshake: .seconds(2), hello: .seconds(2))
        configuration.limits = SessionLimits(heartbeatInterval: 1, maximumFrameLength: 64 * 1024, maximumBatchSize: 200, window: 4)
        configuration.livenessInterval = .milliseconds(100)
        configuration.revocationRefreshInterval = .milliseconds(200)
        configuration.eventLoopThreads = 1
        configuration.hubID = "test-hub"
        return configuration
    }

    init(name: String, adjust: (inout HubConfiguration) -> Void = { _ in }) async throws {
        pki = try TestPKI()
        databaseURL = try await TestDatabase.fresh(name: name)
        database = try await Database.open(Database.Configuration(
            url: databaseURL, poolSize: 3, reconnect: Database.ReconnectPolicy(attempts: 2, initialDelay: 0.05, maximumDelay: 0.2)
        ))
        var configuration = Self.configuration(pki: pki)
        adjust(&configuration)
        self.configuration = configuration
        var logger = Logger(label: "test.hub")
        logger.logLevel = .warning
        hub = try await Hub.start(configuration: configuration, database: database, logger: logger)
    }

    var port: Int { hub.sessionAddress.port ?? 0 }

    /// The enrollment listener's port (0 when disabled).
    var enrollPort: Int { hub.enrollmentAddress?.port ?? 0 }

    /// Connects as `host` with a certificate the test CA issued for it.
    func connect(as host: String) async throws -> TestAgentConnection {
        try await TestAgentConnection.connect(port: port, bundle: try pki.hostBundle(host), caPath: pki.caPath)
    }

    /// Connects and completes hello/welcome.
    func welcomed(as host: String, bundle: TestPKI.Bundle? = nil) async throws -> (TestAgentConnection, Welcome) {
        let connection = try await TestAgentConnection.connect(port: port, bundle: try bundle ?? pki.hostBundle(host), caPath: pki.caPath)
        try await connection.send(#"{"type":"hello","protocol":1,"agent":{"version":"test","hostname":"spoofed"}}"#)
        guard case .welcome(let welcome) = try await connection.receive() else {
            throw HarnessError("no welcome")
        }
        return (connection, welcome)
    }

    func query(_ sql: String, _ parameters: [PostgresValue?] = []) async throws -> PostgresRows {
        try await database.withConnection { try $0.query(sql, parameters) }
    }

    func count(_ sql: String, _ parameters: [PostgresValue?] = []) async throws -> Int {
        try await query(sql, parameters).first?.int("count") ?? -1
    }

    /// Polls `condition` until it holds or `timeout` passes.
    func eventually(timeout: Duration = .seconds(5), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    func stop() async {
        await hub.shutdown(grace: .seconds(2))
        await database.close()
        pki.remove()
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Events for tests: valid, with ids derived from `prefix` and the index.
enum TestEvents {
    static func json(count: Int, prefix: String = "a", host: String? = nil) -> String {
        (0..<count).map { index in
            let id = prefix + String(format: "%0\(32 - prefix.count)x", index)
            let hostMember = host.map { #","host":"\#($0)""# } ?? ""
            return #"{"id":"\#(id)","ts":"2026-11-20T10:15:02.123Z","category":"auth","severity":"medium","source":"linux.auth","message":"Failed password for root from 203.0.113.9","fields":{"user":"root","src_ip":"203.0.113.9"}\#(hostMember)}"#
        }.joined(separator: ",")
    }

    static func frame(seq: Int, count: Int, prefix: String = "a", host: String? = nil) -> String {
        #"{"type":"events","seq":\#(seq),"events":[\#(json(count: count, prefix: prefix, host: host))]}"#
    }
}
