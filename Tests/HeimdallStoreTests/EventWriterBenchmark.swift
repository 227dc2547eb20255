import Foundation
import HeimdallProtocol
import HeimdallStore
import HeimdallTestSupport
import Testing

/// Compares the two write paths. Run with:
/// `HEIMDALL_BENCH=1 swift test --skip-build --filter EventWriterBenchmark`
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["HEIMDALL_BENCH"] == "1"))
struct EventWriterBenchmark {
    static let rows = 20_000
    static let batchSize = 1_000

    @Test func arraysVersusCopy() async throws {
        for round in 1...2 {
            for path in [EventWriter.Path.arrays, .copy, .directCopy] {
                let database = try await Fixtures.database("bench_\(path)_\(round)", poolSize: 1)
                let batches = (0..<(Self.rows / Self.batchSize)).map { chunk in
                    Fixtures.batch("bench-host", (0..<Self.batchSize).map { Fixtures.event(chunk * Self.batchSize + $0) })
                }
                let writer = EventWriter(path: path)
                let clock = ContinuousClock()
                let fresh = try await clock.measure {
                    for batch in batches {
                        let outcome = try await database.withConnection { try writer.write([batch], on: $0) }
                        #expect(outcome == [BatchOutcome(stored: Self.batchSize)])
                    }
                }
                let duplicate = try await clock.measure {
                    for batch in batches {
                        let outcome = try await database.withConnection { try writer.write([batch], on: $0) }
                        #expect(outcome == [BatchOutcome(duplicates: Self.batchSize)])
                    }
                }
                let grouped = Array(batches.prefix(5))
                let group = try await clock.measure {
                    _ = try await database.withConnection { try writer.write(grouped, on: $0) }
                }
                print("BENCH round \(round) path=\(path): \(Self.rows) new rows in \(Self.batchSize)-row batches \(fresh); same again (all duplicates) \(duplicate); one 5-batch group commit of duplicates \(group)")
                await database.close()
            }
        }
    }
}
