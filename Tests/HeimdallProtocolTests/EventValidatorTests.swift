import Testing
@testable import HeimdallProtocol

@Suite struct EventValidatorTests {
    static let good: [String: JSONValue] = [
        "id": "9f2c4e0011223344", "ts": "2026-11-20T10:15:02.123Z", "category": "auth", "severity": "medium",
        "source": "linux.auth", "message": "Failed password", "fields": .object(["user": "root"]), "raw": "line",
    ]

    @Test func acceptsAWellFormedEvent() throws {
        let event = try EventValidator.validate(.object(Self.good)).get()
        #expect(event.category == .auth)
        #expect(event.severity == .medium)
        #expect(event.fields["user"] == "root")
        #expect(event.raw == "line")
    }

    @Test(arguments: [
        ("id", JSONValue.string("ABCDEF0123456789"), "invalid id"),
        ("id", .string("abc"), "invalid id"),
        ("id", .string(String(repeating: "a", count: 65)), "invalid id"),
        ("ts", .string("yesterday"), "invalid ts"),
        ("category", .string("login"), "invalid category"),
        ("severity", .string("urgent"), "invalid severity"),
        ("source", .string("Linux Auth"), "invalid source"),
        ("message", .number(1), "invalid message"),
        ("fields", .array([]), "invalid fields"),
        ("raw", .number(1), "invalid raw"),
    ])
    func refusesEachBadMember(member: String, value: JSONValue, reason: String) {
        var object = Self.good
        object[member] = value
        #expect(EventValidator.validate(.object(object)) == .failure(EventInvalid(reason)))
    }

    @Test func roundTripsThroughItsWireForm() throws {
        let event = try EventValidator.validate(.object(Self.good)).get()
        #expect(try EventValidator.validate(event.jsonValue).get() == event)
    }
}
