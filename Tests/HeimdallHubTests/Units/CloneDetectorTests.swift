import Foundation
import Testing
@testable import HeimdallHub

@Suite struct CloneDetectorTests {
    let start = Date(timeIntervalSince1970: 1_000_000)

    @Test func reconnectsFromOneAddressAreNotSuspicious() {
        var detector = CloneDetector(window: 300, threshold: 3)
        for minute in 0..<10 {
            #expect(detector.superseded(host: "h", serial: "S", from: "10.0.0.1", to: "10.0.0.1", at: start.addingTimeInterval(Double(minute))) == nil)
        }
    }

    @Test func aLoopBetweenAddressesIsReportedOnceThenCountedAnew() {
        var detector = CloneDetector(window: 300, threshold: 3)
        #expect(detector.superseded(host: "h", serial: "S", from: "10.0.0.1", to: "10.0.0.2", at: start) == nil)
        #expect(detector.superseded(host: "h", serial: "S", from: "10.0.0.2", to: "10.0.0.1", at: start.addingTimeInterval(5)) == nil)
        let suspicion = detector.superseded(host: "h", serial: "S", from: "10.0.0.1", to: "10.0.0.2", at: start.addingTimeInterval(10))
        #expect(suspicion == CloneDetector.Suspicion(host: "h", serial: "S", addresses: ["10.0.0.1", "10.0.0.2"], supersedes: 3))
        #expect(detector.superseded(host: "h", serial: "S", from: "10.0.0.2", to: "10.0.0.1", at: start.addingTimeInterval(15)) == nil)
    }

    @Test func supersedesOutsideTheWindowDoNotAddUp() {
        var detector = CloneDetector(window: 60, threshold: 3)
        for step in 0..<6 {
            let from = step.isMultiple(of: 2) ? "a" : "b"
            let to = step.isMultiple(of: 2) ? "b" : "a"
            #expect(detector.superseded(host: "h", serial: "S", from: from, to: to, at: start.addingTimeInterval(Double(step) * 45)) == nil)
        }
    }
}
