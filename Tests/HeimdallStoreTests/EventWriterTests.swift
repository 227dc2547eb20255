import Foundation
import HeimdallProtocol
import HeimdallStore
import HeimdallTestSupport
import Testing

@Suite(.serialized) struct EventWriterTests {
    @Test func batchesFromARevokedCertificateAreRefusedAndTheOthersStored() async throws {
        let database = try await Fixtures.database("writer_revoked")
        defer { Task { await database.close() } }
        let revoked = Fixtures.batch("alpha", (0..<3).map { Fixtures.event($0) })
        let healthy = Fixtures.batch("beta", (0..<3).map { Fixtures.event($0) }, serial: "0BEEF")
        try await database.withConnection { connection in
            try CertificateRecords().insert(
                serial: revoked.certificateSerial, hostID: "alpha", fingerprint: "f1", notBefore: Date(), notAfter: Date(), pem: "p", on: connection
            )
            _ = try CertificateRecords().revoke(serial: revoked.certificateSerial, reason: "keyCompromise", on: connection)
        }
        let outcomes = try await database.withConnection { try EventWriter().write([revoked, healthy], on: $0) }
        #expect(outcomes == [BatchOutcome(refused: true), BatchOutcome(stored: 3, duplicates: 0)])
        #expect(try await database.withConnection { try EventQueries().count(on: $0) } == 3)
    }

    @Test(arguments: [EventWriter.Path.arrays, .copy, .directCopy])
    func newThenDuplicates(path: EventWriter.Path) async throws {
        let database = try await Fixtures.database("writer_dup")
        defer { Task { await database.close() } }
        let writer = EventWriter(path: path)
        let batch = Fixtures.batch("alpha", (0..<100).map { Fixtures.event($0) })
        let first = try await database.withConnection { try writer.write([batch], on: $0) }
        #expect(first == [BatchOutcome(stored: 100, duplicates: 0)])
        let second = try await database.withConnection { try writer.write([batch], on: $0) }
        #expect(second == [BatchOutcome(stored: 0, duplicates: 100)])
        let count = try await database.withConnection { try EventQueries().count(on: $0) }
        #expect(count == 100)
    }

    @Test(arguments: [EventWriter.Path.arrays, .copy, .directCopy])
    func mixAcrossHostsAndWithinOneCall(path: EventWriter.Path) async throws {
        let database = try await Fixtures.database("writer_mix")
        defer { Task { await database.close() } }
        let writer = EventWriter(path: path)
        _ = try await database.withConnection { try writer.write([Fixtures.batch("alpha", (0..<10).map { Fixtures.event($0) })], on: $0) }
        let batches = [
            // 5 already stored (0..<5) + 5 new (10..<15).
            Fixtures.batch("alpha", (5..<15).map { Fixtures.event($0 < 10 ? $0 - 5 : $0) }),
            // Same ids on another host: all new, with 2 repeated inside the batch.
            Fixtures.batch("beta", (0..<10).map { Fixtures.event($0) } + [Fixtures.event(0), Fixtures.event(1)]),
            // Repeats of the first batch's new ids inside the same call.
            Fixtures.batch("alpha", (10..<13).map { Fixtures.event($0) } + [Fixtures.event(20)]),
        ]
        let outcomes = try await database.withConnection { try writer.write(batches, on: $0) }
        #expect(outcomes == [
            BatchOutcome(stored: 5, duplicates: 5),
            BatchOutcome(stored: 10, duplicates: 2),
            BatchOutcome(stored: 1, duplicates: 3),
        ])
        let alpha = try await database.withConnection { try EventQueries().count(host: "alpha", on: $0) }
        let beta = try await database.withConnection { try EventQueries().count(host: "beta", on: $0) }
        #expect(alpha == 16)
        #expect(beta == 10)
    }

    @Test func statusSnapshotThenDuplicate() async throws {
        let database = try await Fixtures.database("writer_status")
        defer { Task { await database.close() } }
        let writer = EventWriter()
        let takenAt = Date(timeIntervalSince1970: 1_790_000_000.123456)
        let metrics: JSONValue = .object(["cpu_percent": .number(12.5), "load": .array([.number(0.4), .number(0.3)])])
        var snapshot = Fixtures.batch("alpha", [])
        snapshot.payload = .status(takenAt: takenAt, metrics: metrics)
        let status = snapshot
        let events = Fixtures.batch("alpha", [Fixtures.event(1)])
        let first = try await database.withConnection { try writer.write([status, events, status], on: $0) }
        #expect(first == [BatchOutcome(stored: 1), BatchOutcome(stored: 1), BatchOutcome(duplicates: 1)])
        let second = try await database.withConnection { try writer.write([status], on: $0) }
        #expect(second == [BatchOutcome(duplicates: 1)])
        let stored = try await database.withConnection { try $0.query("SELECT metrics FROM status_snapshots").first?.json("metrics") }
        #expect(stored == metrics)
    }

    @Test func storesEveryColumnFaithfully() async throws {
        let database = try await Fixtures.database("writer_columns")
        defer { Task { await database.close() } }
        let session = UUID()
        let tricky = "tab\there\\ \"quoted\" newline\n ünï 🚀"
        var event = Fixtures.event(7, message: tricky)
        event.fields = ["nested": .object(["list": .array([.string(tricky), .null, .bool(true)])])]
        event.raw = tricky
        let sent = event
        for path in [EventWriter.Path.copy, .arrays, .directCopy] {
            let host = "host-\(path)"
            _ = try await database.withConnection { try EventWriter(path: path).write([Fixtures.batch(host, [sent], session: session)], on: $0) }
            let stored = try await database.withConnection { try EventQueries().list(host: host, on: $0) }
            let row = try #require(stored.first)
            #expect(row.event.message == tricky)
            #expect(row.event.raw == tricky)
            #expect(row.event.fields == event.fields)
            #expect(row.event.id == event.id)
            #expect(abs(row.event.timestamp.timeIntervalSince(event.timestamp)) < 0.000_002)
            #expect(row.sessionID == session)
            #expect(row.certificateSerial == "0A1B")
        }
    }

    @Test func failureStoresNothing() async throws {
        let database = try await Fixtures.database("writer_atomic")
        defer { Task { await database.close() } }
        let bad = Fixtures.batch("alpha", [Fixtures.event(1)], serial: "bad\u{0}serial")
        let good = Fixtures.batch("alpha", [Fixtures.event(2)])
        await #expect(throws: (any Error).self) {
            try await database.withConnection { try EventWriter(path: .arrays).write([good, bad], on: $0) }
        }
        #expect(try await database.withConnection { try EventQueries().count(on: $0) } == 0)
    }
}

@Suite(.serialized) struct EventWriterNULTests {
    @Test func nulCharactersAreStoredAsReplacement() async throws {
        let database = try await Fixtures.database("writer_nul")
        defer { Task { await database.close() } }
        var event = Fixtures.event(1, message: "a\u{0}b")
        event.fields = ["k\u{0}": .string("v\u{0}")]
        let sent = event
        for path in [EventWriter.Path.copy, .arrays, .directCopy] {
            let outcome = try await database.withConnection {
                try EventWriter(path: path).write([Fixtures.batch("nul-\(path)", [sent])], on: $0)
            }
            #expect(outcome == [BatchOutcome(stored: 1)])
        }
        let stored = try await database.withConnection { try EventQueries().list(on: $0) }
        #expect(stored.map(\.event.message) == Array(repeating: "a\u{FFFD}b", count: 3))
        #expect(stored.first?.event.fields == ["k\u{FFFD}": .string("v\u{FFFD}")])
    }
}
