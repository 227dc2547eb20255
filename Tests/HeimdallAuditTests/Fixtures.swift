import Foundation
import HeimdallAudit
import HeimdallProtocol

/// Events with awkward text: commas, quotes, newlines, tabs, unicode.
enum Fixtures {
    static let session = UUID(uuidString: "6F1C2A4E-0000-4000-8000-000000000001") ?? UUID()
    static let fingerprint = String(repeating: "ab", count: 32)

    static func event(
        _ number: Int, host: String = "web01", category: EventCategory = .auth, message: String = "plain",
        at date: Date = Date(timeIntervalSince1970: 1_795_169_702), fields: [String: JSONValue] = [:], raw: String? = nil
    ) -> Event {
        Event(
            id: String(format: "%016x", number), timestamp: date, category: category, severity: .high,
            source: "linux.auth", message: message, fields: fields, raw: raw
        )
    }

    static func auditEvent(_ event: Event, host: String = "web01") -> AuditEvent {
        AuditEvent(
            hostID: host, event: event, receivedAt: event.timestamp + 1, certificateSerial: "0A1B2C",
            certificateFingerprint: fingerprint, sessionID: session
        )
    }

    static let trickyMessage = "Failed password for \"root\", from 203.0.113.9\nsecond line\tтест ✓ 日本"
}
