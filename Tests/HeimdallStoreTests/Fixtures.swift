import Foundation
import HeimdallProtocol
import HeimdallStore
import HeimdallTestSupport

/// Helpers shared by the store tests.
enum Fixtures {
    /// A fresh, migrated database for one suite.
    static func database(_ name: String, poolSize: Int = 2) async throws -> Database {
        let url = try await TestDatabase.fresh(name: name)
        return try await Database.open(.init(url: url, poolSize: poolSize))
    }

    /// A deterministic event with a 16-hex-digit id.
    static func event(_ number: Int, at date: Date = Date(timeIntervalSince1970: 1_790_000_000), message: String? = nil) -> Event {
        let hex = String(number, radix: 16)
        let id = String(repeating: "0", count: max(0, 16 - hex.count)) + hex
        return Event(
            id: id, timestamp: date.addingTimeInterval(Double(number)), category: .auth, severity: .low,
            source: "linux.auth", message: message ?? "event \(number)",
            fields: ["user": .string("u\(number)"), "n": .number(Double(number))], raw: "raw \(number)"
        )
    }

    static func batch(_ host: String, _ events: [Event], session: UUID = UUID(), serial: String = "0A1B") -> IngestBatch {
        IngestBatch(
            hostID: host, sessionID: session, certificateSerial: serial, certificateFingerprint: String(repeating: "ab", count: 32),
            receivedAt: Date(), payload: .events(events)
        )
    }
}
