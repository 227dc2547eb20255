import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

@Suite struct SyslogLineTests {
    let utc = TimeZone(identifier: "UTC") ?? .current
    let paris = TimeZone(identifier: "Europe/Paris") ?? .current
    func date(_ text: String) -> Date { RFC3339.parse(text) ?? .distantPast }

    @Test func classicHeader() {
        let header = SyslogLine.parse("Nov 20 10:15:02 web-01 sshd[1234]: Accepted password for bob", now: date("2026-11-20T12:00:00Z"), timeZone: utc)
        #expect(header == SyslogLine(timestamp: date("2026-11-20T10:15:02Z"), host: "web-01", program: "sshd", pid: 1234, message: "Accepted password for bob"))
    }

    @Test func classicHeaderWithPaddedDayInHostZone() {
        let header = SyslogLine.parse("Jul  2 08:00:00 db CRON[77]: (root) CMD (x)", now: date("2026-11-20T12:00:00Z"), timeZone: paris)
        #expect(header?.timestamp == date("2026-07-02T06:00:00Z"))  // CEST is UTC+2
        #expect(header?.program == "CRON" && header?.pid == 77 && header?.message == "(root) CMD (x)")
    }

    @Test func rfc3339Header() {
        let header = SyslogLine.parse("2026-11-20T10:15:02.123456+01:00 web-01 sudo: alice : TTY=pts/0", now: Date(), timeZone: utc)
        #expect(header?.timestamp == date("2026-11-20T09:15:02.123456Z"))
        #expect(header?.host == "web-01" && header?.program == "sudo" && header?.pid == nil)
        #expect(header?.message == "alice : TTY=pts/0")
    }

    @Test func headerWithoutTag() {
        let header = SyslogLine.parse("Nov 20 10:15:02 web-01 -- MARK --", now: date("2026-11-20T12:00:00Z"), timeZone: utc)
        #expect(header?.program == nil && header?.message == "-- MARK --")
    }

    @Test func notAHeader() {
        #expect(SyslogLine.parse("hello world", now: Date(), timeZone: utc) == nil)
        #expect(SyslogLine.parse("Nov 20 25:15:02 web-01 x: y", now: Date(), timeZone: utc) == nil)
        #expect(SyslogLine.parse("", now: Date(), timeZone: utc) == nil)
    }

    @Test func yearInferenceAcrossNewYear() {
        // A December line read just after midnight on January 1st belongs to the old year.
        let newYear = date("2027-01-01T00:05:00Z")
        #expect(SyslogLine.inferDate(month: 12, day: 31, hour: 23, minute: 59, second: 58, now: newYear, timeZone: utc) == date("2026-12-31T23:59:58Z"))
        #expect(SyslogLine.inferDate(month: 1, day: 1, hour: 0, minute: 4, second: 0, now: newYear, timeZone: utc) == date("2027-01-01T00:04:00Z"))
        // Up to a day ahead (clock skew) stays in the current year.
        #expect(SyslogLine.inferDate(month: 1, day: 1, hour: 20, minute: 0, second: 0, now: newYear, timeZone: utc) == date("2027-01-01T20:00:00Z"))
        // A January line read on December 31st (more than a day ahead) is from last January.
        let newYearsEve = date("2026-12-31T23:00:00Z")
        #expect(SyslogLine.inferDate(month: 1, day: 3, hour: 0, minute: 0, second: 0, now: newYearsEve, timeZone: utc) == date("2026-01-03T00:00:00Z"))
        // Year of the host zone: read at 00:10 on 1 Jan 2027 in Paris, a "Dec 31 23:50" line is 2026.
        let parisMidnight = date("2026-12-31T23:10:00Z")  // 00:10 on 1 Jan 2027 in Paris
        #expect(SyslogLine.inferDate(month: 12, day: 31, hour: 23, minute: 50, second: 0, now: parisMidnight, timeZone: paris) == date("2026-12-31T22:50:00Z"))
    }

    @Test func impossibleDateIsRejected() {
        #expect(SyslogLine.inferDate(month: 2, day: 30, hour: 0, minute: 0, second: 0, now: date("2026-03-01T00:00:00Z"), timeZone: utc) == nil)
    }
}
