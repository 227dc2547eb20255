import Foundation
@testable import HeimdallStore
import Testing

/// Day arithmetic and the on-demand window, without a database.
struct UTCDayTests {
    @Test func daysAreUTCAndNamedLikeTheirPartitions() {
        let day = UTCDay(containing: Date(timeIntervalSince1970: 1_795_391_999))  // 2026-11-22T23:59:59Z
        #expect(day.description == "2026-11-22")
        #expect(day.partitionName == "events_20261122")
        #expect(UTCDay(partitionName: "events_20261122") == day)
        #expect(day.end == UTCDay(containing: Date(timeIntervalSince1970: 1_795_392_000)).start)
        #expect(UTCDay(containing: Date(timeIntervalSince1970: -1)).partitionName == "events_19691231")
        #expect(UTCDay(containing: Date(timeIntervalSince1970: .nan)).number == 0)
        for name in ["events_default", "events_2026112", "events_2026112x", "events_20261322", "status_20261122"] {
            #expect(UTCDay(partitionName: name) == nil, "\(name)")
        }
    }

    @Test func onlyUnknownDaysInsideTheWindowAreMissing() {
        let partitions = EventPartitions()
        let today = UTCDay(number: 20_000)
        let dates = [-40, -31, -1, 0, 0, 2, 3, 400].map { today.adding(days: $0).start.addingTimeInterval(3600) }
        #expect(partitions.missingDays(in: dates, today: today) == [-31, -1, 0, 2].map { today.adding(days: $0) })
        partitions.remember([today])
        #expect(partitions.missingDays(in: dates, today: today) == [-31, -1, 2].map { today.adding(days: $0) })
        partitions.forget([today])
        #expect(partitions.missingDays(in: dates, today: today).contains(today))
    }
}
