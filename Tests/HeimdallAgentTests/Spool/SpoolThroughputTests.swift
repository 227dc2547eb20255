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
        let batch = 500
        let events: [SpoolRecord.Content] = (0..<total).map { index in
            .event(Event(
                id: String(format: "%032x", index), timestamp: Date(timeIntervalSince1970: 1_800_000_000), category: .auth, severity: .medium,
                source: "linux.auth", message: "sshd: failed password for user\(index)",
                fields: ["user": .string("user\(index)"), "src_ip": .string("203.0.113.9"), "src_port": .number(Double(1000 + index)), "outcome": .string("failure")],
                raw: "Nov 20 10:15:02 web-01 sshd[\(index)]: Failed password for user\(index) from 203.0.113.9 port \(1000 + index) ssh2"
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
