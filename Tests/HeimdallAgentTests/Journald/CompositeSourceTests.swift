import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

/// Two sources read as one: fair alternation, per-part marks, commits in order.
@Suite struct CompositeSourceTests {
    final class ListSource: EventSource {
        typealias Mark = Int
        var remaining: [Int]
        var committed: [Int] = []
        let name: String

        init(_ name: String, count: Int) {
            self.name = name
            remaining = Array((0..<count).map { $0 + 1 })
        }

        func read(limit: Int) throws -> (events: [Event], mark: Int)? {
            let taken = remaining.prefix(limit)
            guard let last = taken.last else { return nil }
            remaining.removeFirst(taken.count)
            let events = taken.map { Event(
                id: "\(name)-\($0)", timestamp: Date(timeIntervalSince1970: 0), category: .other, severity: .info,
                source: name, message: "\($0)", fields: [:], raw: nil
            ) }
            return (events, last)
        }

        func commit(_ mark: Int) throws { committed.append(mark) }
    }

    @Test func alternatesAndCarriesEachPartsMark() throws {
        let files = ListSource("files", count: 5)
        let journal = ListSource("journal", count: 3)
        let source = CompositeSource(first: files, second: journal)
        let one = try #require(try source.read(limit: 4))
        #expect(one.events.map(\.id) == ["files-1", "files-2", "files-3", "files-4"])
        #expect(one.mark.first == 4 && one.mark.second == nil)
        let two = try #require(try source.read(limit: 4))
        #expect(two.events.map(\.id) == ["journal-1", "journal-2", "journal-3", "files-5"])
        #expect(two.mark.first == 5 && two.mark.second == 3)
        #expect(try source.read(limit: 4) == nil)
        try source.commit(one.mark)
        try source.commit(two.mark)
        #expect(files.committed == [4, 5])
        #expect(journal.committed == [3])
    }

    @Test func withoutASecondPartReadsTheFirstOnly() throws {
        let files = ListSource("files", count: 2)
        let source = CompositeSource<ListSource, ListSource>(first: files, second: nil)
        let batch = try #require(try source.read(limit: 10))
        #expect(batch.events.count == 2)
        try source.commit(batch.mark)
        #expect(files.committed == [2])
    }
}
