import Foundation
import HeimdallPKI
import HeimdallStore
import HeimdallTLS
import HeimdallSystem
import Testing

/// The agent and hub as real processes: lines appended to a file end up as rows exactly
/// once, whichever of them is killed with SIGKILL in between.
@Suite(.serialized) struct DeliveryTests {
    @Test func appendedLinesBecomeRowsAndSurviveAKilledAgent() async throws {
        let deployment = try await Deployment(name: "agent_kill")
        defer { deployment.remove() }
        let log = LogWriter(path: deployment.root + "/auth.log")
        let bundle = try deployment.pki.hostBundle("web-01")
        try log.append(0..<200)
        let hub = try deployment.startHub()
        defer { hub.signal(SIGKILL); hub.wait() }
        var agent = try deployment.startAgent(tailing: [log.path], bundle: bundle)
        #expect(try await deployment.waitForEvents(200) == 200, "\(deployment.log("agent.log"))")

        for round in 1...3 {
            try log.append((round * 1000)..<(round * 1000 + 300))
            try await Task.sleep(for: .milliseconds(Int64(50 * round)))
            agent.signal(SIGKILL)
            agent.wait()
            agent = try deployment.startAgent(tailing: [log.path], bundle: bundle)
        }
        #expect(try await deployment.waitForEvents(1100) == 1100, "\(deployment.log("agent.log"))")
        try await Task.sleep(for: .milliseconds(500))
        #expect(try deployment.eventCount() == 1100)
        agent.signal(SIGTERM)
        #expect(agent.wait() == 0)
        try await Task.sleep(for: .milliseconds(300))
        #expect(try deployment.lastSessionEndReason() == "bye", "\(deployment.log("agent.log"))")
    }

    @Test func theAgentCatchesUpAfterTheHubIsKilled() async throws {
        let deployment = try await Deployment(name: "hub_kill")
        defer { deployment.remove() }
        let log = LogWriter(path: deployment.root + "/auth.log")
        let bundle = try deployment.pki.hostBundle("web-01")
        var hub = try deployment.startHub()
        let agent = try deployment.startAgent(tailing: [log.path], bundle: bundle)
        defer { agent.signal(SIGKILL); agent.wait() }
        try log.append(0..<100)
        #expect(try await deployment.waitForEvents(100) == 100, "\(deployment.log("hub.log"))\n\(deployment.log("agent.log"))")

        try log.append(100..<600)
        hub.signal(SIGKILL)
        hub.wait()
        try log.append(600..<800)
        hub = try deployment.startHub()
        defer { hub.signal(SIGTERM); hub.wait() }
        #expect(try await deployment.waitForEvents(800, timeout: .seconds(60)) == 800, "\(deployment.log("agent.log"))")
        try await Task.sleep(for: .milliseconds(500))
        #expect(try deployment.eventCount() == 800)
    }

    @Test func linesReadWhileTheHubIsDownSurviveRotationAndAKilledAgent() async throws {
        let deployment = try await Deployment(name: "hub_down")
        defer { deployment.remove() }
        let log = LogWriter(path: deployment.root + "/auth.log")
        let bundle = try deployment.pki.hostBundle("web-01")
        try log.append(0..<300)
        var agent = try deployment.startAgent(tailing: [log.path], bundle: bundle, extra: ["--spool-size", "64MiB"])
        try await Task.sleep(for: .seconds(1))
        try log.append(300..<400)
        try await Task.sleep(for: .milliseconds(800))
        // Rotated by rename, a new file started, then the rotated file deleted: lines
        // 0..<400 now exist only in the agent's spool.
        try FileManager.default.moveItem(atPath: log.path, toPath: log.path + ".1")
        try log.append(400..<600)
        try await Task.sleep(for: .milliseconds(1500))
        try FileManager.default.removeItem(atPath: log.path + ".1")
        agent.signal(SIGKILL)
        agent.wait()
        agent = try deployment.startAgent(tailing: [log.path], bundle: bundle, extra: ["--spool-size", "64MiB"])
        defer { agent.signal(SIGKILL); agent.wait() }
        try log.append(600..<700)
        try await Task.sleep(for: .milliseconds(800))
        let hub = try deployment.startHub()
        defer { hub.signal(SIGTERM); hub.wait() }
        #expect(try await deployment.waitForEvents(700, timeout: .seconds(60)) == 700, "\(deployment.log("agent.log"))")
        try await Task.sleep(for: .milliseconds(500))
        #expect(try deployment.eventCount() == 700)
        let connection = try PostgresConnection(url: deployment.databaseURL)
        let distinct = try connection.query("SELECT count(DISTINCT raw) AS count FROM events").first?.int("count")
        #expect(distinct == 700)
        // The first heartbeat (right after `welcome`) reported the spool.
        let health = try connection.query("SELECT spool_pending_events AS pending, spool_dropped_total AS dropped FROM hosts WHERE host_id = 'web-01'").first
        #expect(health?.int("pending") != nil)
        #expect(health?.int("dropped") == 0)
        #expect(deployment.log("agent.log").contains("spool_size=67108864"))
    }

    @Test func aSpoolSizeWithoutAValidUnitIsAUsageError() async throws {
        let deployment = try await Deployment(name: "spool_size")
        defer { deployment.remove() }
        let agent = try deployment.startAgent(tailing: [deployment.root + "/auth.log"], bundle: try deployment.pki.hostBundle("web-01"), extra: ["--spool-size", "12X"])
        #expect(agent.wait() == 64, "\(deployment.log("agent.log"))")
    }

    @Test func theHubStopsCleanlyOnSIGTERM() async throws {
        let deployment = try await Deployment(name: "hub_term")
        defer { deployment.remove() }
        let hub = try deployment.startHub()
        try await Task.sleep(for: .seconds(1))
        hub.signal(SIGTERM)
        #expect(hub.wait() == 0, "\(deployment.log("hub.log"))")
    }

    @Test func anAgentPastTwoThirdsOfItsCertificateRenewsAndReconnectsWithTheNewOne() async throws {
        let deployment = try await Deployment(name: "renewal")
        defer { deployment.remove() }
        let now = Date()
        let aging = try deployment.pki.authority.issue(CertificateProfile(
            commonName: "web-01", dnsNames: ["web-01"], ipAddresses: [], extendedKeyUsages: [.clientAuth],
            notBefore: now.addingTimeInterval(-20 * 86_400), notAfter: now.addingTimeInterval(10 * 86_400)
        ))
        let bundle = try deployment.pki.bundle(aging, name: "web-01")
        let log = LogWriter(path: deployment.root + "/auth.log")
        try log.append(0..<10)
        let hub = try deployment.startHub()
        defer { hub.signal(SIGTERM); hub.wait() }
        var agent = try deployment.startAgent(tailing: [log.path], bundle: bundle)
        #expect(try await deployment.waitForEvents(10) == 10)
        let deadline = ContinuousClock.now + .seconds(20)
        var renewed: PeerCertificate?
        while ContinuousClock.now < deadline {
            if let current = try? PeerCertificate.load(path: bundle.certificatePath), current.serialNumber != aging.certificate.serialNumber {
                renewed = current
                break
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let newSerial = try #require(renewed, "\(deployment.log("agent.log"))").serialNumber
        agent.signal(SIGTERM)
        agent.wait()
        agent = try deployment.startAgent(tailing: [log.path], bundle: bundle)
        defer { agent.signal(SIGKILL); agent.wait() }
        try log.append(10..<20)
        #expect(try await deployment.waitForEvents(20) == 20)
        let connection = try PostgresConnection(url: deployment.databaseURL)
        let serials = try connection.query("SELECT DISTINCT cert_serial FROM events WHERE event_id IN (SELECT event_id FROM events ORDER BY received_at DESC LIMIT 5)")
        #expect(serials.map { $0.string("cert_serial") } == [newSerial])
    }

    @Test func statusSnapshotsReachTheHubAsHistory() async throws {
        let deployment = try await Deployment(name: "status")
        defer { deployment.remove() }
        let hub = try deployment.startHub()
        defer { hub.signal(SIGTERM); hub.wait() }
        let agent = try deployment.startAgent(tailing: [], bundle: try deployment.pki.hostBundle("web-01"), extra: ["--status-interval", "1"])
        defer { agent.signal(SIGTERM); agent.wait() }
        let connection = try PostgresConnection(url: deployment.databaseURL)
        let deadline = ContinuousClock.now + .seconds(15)
        var snapshots = 0
        while ContinuousClock.now < deadline, snapshots < 2 {
            try await Task.sleep(for: .milliseconds(250))
            snapshots = try connection.query("SELECT count(*) AS count FROM status_snapshots WHERE host_id = 'web-01'").first?.int("count") ?? 0
        }
        #expect(snapshots >= 2, "\(deployment.log("agent.log"))")
        let metrics = try connection.query("SELECT metrics->>'cpu_percent' AS cpu, metrics->'memory'->>'total' AS memory FROM status_snapshots ORDER BY taken_at DESC LIMIT 1").first
        #expect(metrics?.string("memory").flatMap(Double.init).map { $0 > 0 } == true)
        #expect(metrics?.string("cpu").flatMap(Double.init) != nil)
    }
}
