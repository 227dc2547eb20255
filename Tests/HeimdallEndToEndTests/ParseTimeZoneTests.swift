import Foundation
import HeimdallSystem
import Testing

/// Classic syslog timestamps (`Jan 15 10:00:00`, no year, no zone) are local time of the
/// host: the built `heimdall-agent parse` reads the zone from `TZ` through libc, winter and
/// summer offsets included, without Foundation's time-zone database.
@Suite struct ParseTimeZoneTests {
    /// A zone, and the UTC date-times (without year) its 10:00 on January 15th and July 15th are.
    static let cases: [(zone: String, january: String, july: String)] = [
        ("America/New_York", "-01-15T15:00:00.000Z", "-07-15T14:00:00.000Z"),  // EST −5, EDT −4
        ("Australia/Sydney", "-01-14T23:00:00.000Z", "-07-15T00:00:00.000Z"),  // AEDT +11, AEST +10
        ("UTC", "-01-15T10:00:00.000Z", "-07-15T10:00:00.000Z"),
    ]

    @Test(arguments: cases)
    func classicTimestampsAreReadInTheZoneOfTZ(zone: String, january: String, july: String) throws {
        let log = NSTemporaryDirectory() + "heimdall-parse-tz-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let lines = [
            "Jan 15 10:00:00 web1 sshd[10]: Accepted password for bob from 203.0.113.5 port 22 ssh2",
            "Jul 15 10:00:00 web1 sshd[11]: Accepted password for bob from 203.0.113.5 port 22 ssh2",
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let result = try ChildProcess.run(
            Executables.path("heimdall-agent"), ["parse", "--source", "linux.auth", "--json", log],
            environment: ["TZ": zone, "HEIMDALL_LOG_LEVEL": "error"]
        )
        #expect(result.status == 0, "\(result.output)")
        let stamps = result.output.split(separator: "\n").compactMap(Self.timestamp)
        #expect(stamps.count == 2, "\(result.output)")
        #expect(stamps.first?.hasSuffix(january) == true, "\(zone): \(stamps)")
        #expect(stamps.last?.hasSuffix(july) == true, "\(zone): \(stamps)")
    }

    /// The `ts` member of an NDJSON event line.
    static func timestamp(_ line: Substring) -> String? {
        guard let data = String(line).data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["ts"] as? String
    }
}
