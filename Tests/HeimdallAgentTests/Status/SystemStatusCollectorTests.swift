import Foundation
import HeimdallProtocol
import Logging
import Testing
@testable import HeimdallAgent

@Suite struct SystemStatusCollectorTests {
    /// Runs the real collector on this machine twice and checks the values are sane.
    @Test func realSystemSmoke() async throws {
        let collector = SystemStatusCollector()
        let first = try await collector.collect()
        #expect(first["cpu_percent"] == .null)
        try await Task.sleep(for: .milliseconds(700))
        let metrics = try await collector.collect()
        let cpu = try #require(metrics["cpu_percent"]?.numberValue)
        #expect((0...100).contains(cpu))
        #expect(try #require(metrics["cpu"]?["cores"]?.intValue) >= 1)
        #expect(metrics["load"]?.arrayValue?.count == 3)
        let total = try #require(metrics["memory"]?["total"]?.numberValue)
        let used = try #require(metrics["memory"]?["used"]?.numberValue)
        #expect(total > 0 && used > 0 && used <= total)
        #expect(metrics["swap"]?["total"]?.numberValue != nil)
        for disk in try #require(metrics["disks"]?.arrayValue) {
            let size = try #require(disk["total"]?.numberValue)
            let diskUsed = try #require(disk["used"]?.numberValue)
            #expect(size > 0 && diskUsed <= size)
            #expect(disk["mount"]?.stringValue?.hasPrefix("/") == true)
        }
        for interface in try #require(metrics["network"]?.arrayValue) {
            #expect(interface["iface"]?.stringValue?.isEmpty == false)
            if let rate = interface["rx_rate"]?.numberValue { #expect(rate >= 0) }
        }
        #expect(try #require(metrics["uptime_s"]?.numberValue) > 0)
        #expect(try #require(metrics["interval_s"]?.numberValue) > 0.3)
        #expect(metrics["kernel"]?.stringValue?.hasPrefix("Linux ") == true)
        #expect(metrics["agent_version"] == .string(Agent.version))
        let topRSS = try #require(metrics["top_rss"]?.arrayValue)
        #expect(!topRSS.isEmpty && topRSS.count <= 10)
        #expect(try #require(metrics["processes"]?.arrayValue).count >= topRSS.count)
        #expect(try #require(metrics["process_count"]?.intValue) > 1)
        for process in try #require(metrics["top_cpu"]?.arrayValue) {
            #expect(try #require(process["cpu_percent"]?.numberValue) > 0)
        }
        #expect(metrics.jsonText().utf8.count < 1_048_576)
    }

    /// The reader on a fixture tree: every file goes to its parser, and the `status` of a
    /// top process is read.
    @Test func readerOnFixtureTree() throws {
        let directory = try TemporaryDirectory()
        for sub in ["proc", "proc/net", "proc/self", "proc/123", "etc"] {
            try FileManager.default.createDirectory(atPath: directory.file(sub), withIntermediateDirectories: true)
        }
        try Files.write(directory.file("proc/stat"), "cpu  10 0 10 80 0 0 0 0 0 0\ncpu0 10 0 10 80 0 0 0 0 0 0\n")
        try Files.write(directory.file("proc/uptime"), "500.25 900.00\n")
        try Files.write(directory.file("proc/loadavg"), "1.00 0.50 0.25 2/100 999\n")
        try Files.write(directory.file("proc/meminfo"), "MemTotal: 1000 kB\nMemAvailable: 400 kB\n")
        try Files.write(directory.file("proc/net/dev"), "h1\nh2\n  eth0: 1 2 0 0 0 0 0 0 3 4 0 0 0 0 0 0\n")
        try Files.write(directory.file("proc/self/mounts"), "proc /proc proc rw 0 0\n")
        try Files.write(directory.file("proc/123/stat"), "123 (my (odd) proc) S 1 1 1 0 -1 0 0 0 0 0 7 3 0 0 20 0 2 0 40 0 25\n")
        try Files.write(directory.file("proc/123/status"), "Name:\tmy (odd) proc\nUid:\t33\t33\t33\t33\nVmRSS:\t100 kB\n")
        try Files.write(directory.file("etc/os-release"), "PRETTY_NAME=\"Fixture OS 1\"\n")
        let readings = SystemReader(root: directory.path).sample(previous: nil, topCount: 10)
        #expect(readings.uptime == 500.25)
        #expect(readings.cpu == CPUTimes(user: 10, system: 10, idle: 80) && readings.cpuCount == 1)
        #expect(readings.load == [1, 0.5, 0.25])
        #expect(readings.memory["MemAvailable"] == 409_600)
        #expect(readings.interfaces.map(\.name) == ["eth0"])
        #expect(readings.disks.isEmpty)
        #expect(readings.operatingSystem == "Fixture OS 1")
        #expect(readings.processes.count == 1)
        let process = try #require(readings.processes.first)
        #expect(process.stat.name == "my (odd) proc" && process.stat.cpuTicks == 10)
        #expect(process.status == ProcessStatus(name: "my (odd) proc", uid: 33, residentBytes: 102_400))
        let metrics = StatusMetrics.snapshot(previous: nil, current: readings, agentVersion: "t")
        #expect(metrics["top_rss"]?.arrayValue?.first?["uid"] == .number(33))
        #expect(metrics["top_rss"]?.arrayValue?.first?["rss"] == .number(102_400))
    }

    /// The status loop queues snapshots with the shipper; they go out as `status` frames.
    @Test func reporterQueuesStatusFrames() async throws {
        let directory = try TemporaryDirectory()
        let shipper = Shipper(source: ListSource(count: 0), spool: try Spool(directory: directory.file("spool"), logger: testLogger), logger: Logger(label: "test"))
        await shipper.sessionStarted(Self.welcome)
        let reporter = Task {
            await StatusReporter.run(interval: .milliseconds(300), shipper: shipper, collector: SystemStatusCollector(), logger: Logger(label: "test"))
        }
        defer { reporter.cancel() }
        var report: StatusReport?
        for _ in 0..<100 where report == nil {
            try await Task.sleep(for: .milliseconds(50))
            for case .status(let frame) in await shipper.framesToSend(now: Date()) { report = frame }
        }
        let frame = try #require(report)
        #expect(frame.sequenceNumber == 1)
        #expect(frame.metrics["cpu_percent"]?.numberValue != nil, "the first snapshot already covers one interval")
        #expect(frame.metrics["agent_version"] == .string(Agent.version))
    }

    /// Without a session, only `offlineBacklog` snapshots wait for the hub.
    @Test func offlineBacklogIsBounded() async throws {
        let directory = try TemporaryDirectory()
        let shipper = Shipper(source: ListSource(count: 0), spool: try Spool(directory: directory.file("spool"), logger: testLogger), logger: Logger(label: "test"))
        let reporter = Task {
            await StatusReporter.run(
                interval: .milliseconds(20), shipper: shipper, collector: SystemStatusCollector(), offlineBacklog: 2, logger: Logger(label: "test")
            )
        }
        try await Task.sleep(for: .milliseconds(600))
        reporter.cancel()
        await reporter.value
        await shipper.sessionStarted(Self.welcome)
        let frames = await shipper.framesToSend(now: Date())
        #expect(frames.count == 2)
    }

    static let welcome = Welcome(
        protocolVersion: 1, host: "h", sessionID: "s", heartbeatInterval: 30, maximumFrameLength: 1 << 20, maximumBatchSize: 4, window: 16
    )
}
