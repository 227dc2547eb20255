import Foundation
import HeimdallProtocol
import Logging
import Testing
@testable import HeimdallAgent

/// Spool append and read-and-acknowledge throughput, for the record (not a pass/fail
/// bound). Runs only with HEIMDALL_SPOOL_BENCH=1:
///
///     HEIMDALL_SPOOL_BENCH=1 swift test --skip-build --filter SpoolThroughputTests
@Suite struct SpoolThroughputTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["HEIMDALL_SPOOL_BENCH"] == "1"))
    func appendAndDrain() throws {
        let directory = try TemporaryDirectory()
        let spool = try Spool(directory: directory.file("spool"), logger: testLogger)
        let total = 200_000
        let batch = 200  // what 1,000 events/s gives per 200 ms poll
        // Realistic variety: random ids, users, addresses and ports (what compression sees).
        var random = SeededGenerator(seed: 42)
        let events: [SpoolRecord.Content] = (0..<total).map { index in
            let id = (0..<4).map { _ in String(random.next() >> 32, radix: 16) }.joined().padding(toLength: 32, withPad: "0", startingAt: 0)
            let user = "user\(random.next() % 5_000)"
            let address = "198.51.\(random.next() % 256).\(random.next() % 256)"
            let port = 1_024 + Int(random.next() % 60_000)
            let second = String(format: "%02d", index / 1_000 % 60)
            return .event(Event(
                id: id, timestamp: Date(timeIntervalSince1970: 1_800_000_000 + Double(index) / 1_000), category: .auth, severity: .medium,
                source: "linux.auth", message: "failed password for \(user)",
                fields: ["user": .string(user), "src_ip": .string(address), "src_port": .number(Double(port)), "outcome": .string("failure"), "process": .string("sshd"), "pid": .number(Double(index % 30_000))],
                raw: "Nov 20 10:15:\(second) web-01 sshd[\(index % 30_000)]: Failed password for \(user) from \(address) port \(port) ssh2"
            ))
        }
        let appendStart = ContinuousClock.now
        for start in stride(from: 0, to: total, by: batch) {
            try spool.append(Array(events[start..<min(start + batch, total)]))
        }
        let appendTime = ContinuousClock.now - appendStart
        let bytes = spool.totalBytes
        let drainStart = ContinuousClock.now
        var drained = 0
        while true {
            let records = spool.read(limit: batch)
            guard let last = records.last else { break }
            drained += records.count
            spool.acknowledge(through: last.sequenceNumber)
        }
        let drainTime = ContinuousClock.now - drainStart
        #expect(drained == total)
        let seconds = { (duration: Duration) in Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }
        Logger(label: "heimdall.bench.spool").notice("spool throughput", metadata: [
            "events": "\(total)", "batch": "\(batch)", "bytes_per_event": "\(bytes / total)",
            "append_events_per_s": "\(Int(Double(total) / seconds(appendTime)))",
            "read_ack_events_per_s": "\(Int(Double(total) / seconds(drainTime)))",
        ])
    }
}

/// SplitMix64, so the benchmark's events are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
