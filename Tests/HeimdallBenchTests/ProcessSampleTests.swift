import Foundation
import Testing
@testable import HeimdallBench

@Suite struct ProcessSampleTests {
    @Test func readsThisProcess() throws {
        let sample = try #require(ProcessSample.read(pid: getpid()))
        #expect(sample.residentBytes > 0)
        #expect(sample.peakResidentBytes >= sample.residentBytes)
    }

    @Test func parsesACommandNameWithSpacesAndParentheses() {
        let line = "1234 (tmux: server (x)) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 100 1000 10"
        #expect(ProcessSample.cpuSeconds(statLine: line).map { $0 * 100 } == 300)
    }
}
