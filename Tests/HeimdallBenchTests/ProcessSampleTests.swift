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
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let times = ProcessSample.cpuTimes(statLine: line)
        #expect(times?.user == 250 / ticks)
        #expect(times?.system == 50 / ticks)
    }

    @Test func systemPercentIsTheKernelsPartOfTheTotal() {
        let start = ProcessSample(cpuSeconds: 10, systemCPUSeconds: 4, residentBytes: 0, peakResidentBytes: 0, at: .now)
        var end = start
        end.cpuSeconds = 10.5
        end.systemCPUSeconds = 4.2
        end.at = start.at + .seconds(2)
        #expect(abs(ProcessSample.cpuPercent(from: start, to: end) - 25) < 1e-9)
        #expect(abs(ProcessSample.systemCPUPercent(from: start, to: end) - 10) < 1e-9)
    }
}
