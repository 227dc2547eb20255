import Foundation
import HeimdallProtocol

/// Builds `events` frames of realistic ~400-byte events cheaply (the generator shares two
/// cores with the hub and PostgreSQL, so it must not be the bottleneck). Ids are unique per
/// run, session and counter, so every event is new to the hub.
///
/// Every event of a run carries the run's start time (to the millisecond), as a fleet's
/// events carry the present: they land in today's `events` partition, not in one that
/// every run before has filled.
public struct EventFactory: Sendable {
    /// 8 hex digits naming the run.
    public let run: String
    /// The events' time (`ts`).
    public let time: Date
    private let timeText: String

    /// Creates a factory whose events happen at `time` (rounded down to the millisecond).
    public init(run: String, time: Date = Date()) {
        self.run = run
        timeText = RFC3339.format(time)
        self.time = RFC3339.parse(timeText) ?? time
    }

    /// The host name of session `index` in this run.
    public func host(_ index: Int) -> String { "bench-\(run)-\(index)" }

    /// The payload of one `events` frame: `count` events numbered from `first`.
    public func framePayload(session: Int, sequenceNumber: UInt64, first: UInt64, count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + count * 420)
        out.append(contentsOf: #"{"type":"events","seq":"#.utf8)
        out.append(contentsOf: String(sequenceNumber).utf8)
        out.append(contentsOf: #","events":["#.utf8)
        let prefix = run + hex(UInt64(session), width: 8)
        for offset in 0..<count {
            if offset > 0 { out.append(UInt8(ascii: ",")) }
            let number = first + UInt64(offset)
            out.append(contentsOf: #"{"id":""#.utf8)
            out.append(contentsOf: (prefix + hex(number, width: 16)).utf8)
            out.append(contentsOf: #"","ts":""#.utf8)
            out.append(contentsOf: timeText.utf8)
            out.append(contentsOf: #"","category":"auth","severity":"medium","source":"bench.load","#.utf8)
            out.append(contentsOf: #""message":"Failed password for root from 203.0.113.9 port 51234 ssh2","#.utf8)
            out.append(contentsOf: #""fields":{"user":"root","src_ip":"203.0.113.9","src_port":51234,"outcome":"failure","method":"password"},"#.utf8)
            out.append(contentsOf: #""raw":"Nov 20 10:15:02 web-01 sshd[4242]: Failed password for root from 203.0.113.9 port 51234 ssh2"}"#.utf8)
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }

    /// The same events as values, for the baseline's direct writes.
    public func events(session: Int, first: UInt64, count: Int) -> [Event] {
        let prefix = run + hex(UInt64(session), width: 8)
        return (0..<count).map { offset in
            Event(
                id: prefix + hex(first + UInt64(offset), width: 16), timestamp: time, category: .auth,
                severity: .medium, source: "bench.load", message: "Failed password for root from 203.0.113.9 port 51234 ssh2",
                fields: ["user": "root", "src_ip": "203.0.113.9", "src_port": .number(51234), "outcome": "failure", "method": "password"],
                raw: "Nov 20 10:15:02 web-01 sshd[4242]: Failed password for root from 203.0.113.9 port 51234 ssh2"
            )
        }
    }

    private func hex(_ value: UInt64, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
