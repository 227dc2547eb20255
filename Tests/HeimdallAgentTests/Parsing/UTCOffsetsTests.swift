import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

@Suite struct UTCOffsetsTests {
    /// Zones with a spring gap and an autumn overlap at 02:00 or 03:00 (Paris, New York), in
    /// the southern hemisphere (Sydney), by half an hour (Lord Howe) and at midnight (Santiago).
    static let zones = ["Europe/Paris", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "America/Santiago"]

    /// Every quarter hour of local time from the day before to the day after each change of
    /// offset in 2026 in `zone`, as local seconds.
    static func localTimesAroundChanges(in zone: TimeZone) -> [Int] {
        let start = RFC3339.daysSinceEpoch(year: 2026, month: 1, day: 1) * 86_400
        var times: [Int] = []
        for day in 0..<365 {
            let midnight = start + day * 86_400
            guard zone.offset(atInstant: midnight) != zone.offset(atInstant: midnight + 86_400) else { continue }
            times += stride(from: midnight - 2 * 86_400, to: midnight + 3 * 86_400, by: 900)
        }
        return times
    }

    @Test(arguments: zones)
    func localTimesResolveAsFoundationCalendarDoes(identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let times = Self.localTimesAroundChanges(in: zone)
        #expect(times.count >= 2 * 480)  // two changes of offset, five days of quarter hours each
        for local in times {
            let civil = RFC3339.civilDate(daysSinceEpoch: local / 86_400)
            let components = DateComponents(
                year: civil.year, month: civil.month, day: civil.day, hour: local % 86_400 / 3_600, minute: local % 3_600 / 60
            )
            let expected = try #require(calendar.date(from: components))
            #expect(LocalClock.date(instant: LocalClock.instant(ofLocal: local, in: zone)) == expected, "\(identifier) \(components)")
        }
    }

    @Test(arguments: zones)
    func cachedOffsetsEqualUncachedOnesAcrossChanges(identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier))
        let cached = HourlyOffsetCache(zone)
        for pass in 0..<2 {
            for time in Self.localTimesAroundChanges(in: zone) {
                #expect(cached.offset(forLocal: time) == zone.offset(forLocal: time), "pass \(pass) local \(time)")
                #expect(cached.offset(atInstant: time) == zone.offset(atInstant: time), "pass \(pass) instant \(time)")
            }
        }
    }

    @Test func libcReadsTheSameZoneAsFoundation() {
        let libc = LibcLocalTime()
        let start = RFC3339.daysSinceEpoch(year: 2026, month: 1, day: 1) * 86_400
        for instant in stride(from: start, to: start + 365 * 86_400, by: 86_400 / 4) {
            #expect(libc.offset(atInstant: instant) == TimeZone.current.offset(atInstant: instant))
        }
    }

    @Test func fixedOffsetsAndCivilArithmetic() {
        let plusTwo = FixedOffset(seconds: 7_200)
        #expect(plusTwo.offset(atInstant: 0) == 7_200 && plusTwo.offset(forLocal: 123) == 7_200)
        #expect(FixedOffset.utc.offset(forLocal: 0) == 0)
        #expect(LocalClock.seconds(year: 2026, month: 11, day: 20, hour: 10, minute: 15, second: 2) == 1_795_169_702)
        #expect(LocalClock.seconds(year: 2026, month: 12, day: 31, hour: 23, minute: 59, second: 60) == LocalClock.seconds(year: 2026, month: 12, day: 31, hour: 23, minute: 59, second: 59))
        #expect(LocalClock.seconds(year: 2026, month: 2, day: 29, hour: 0, minute: 0, second: 0) == nil)
        #expect(LocalClock.seconds(year: 2028, month: 2, day: 29, hour: 0, minute: 0, second: 0) != nil)
        #expect(LocalClock.floorDivide(-1, 3_600) == -1 && LocalClock.floorDivide(3_599, 3_600) == 0)
        #expect(LocalClock.year(atInstant: 1_798_761_600 - 1, in: plusTwo) == 2027)  // 2026-12-31T23:59:59Z is 2027 at +02:00
    }
}
