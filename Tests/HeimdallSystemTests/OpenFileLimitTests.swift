import Foundation
import HeimdallSystem
import Testing

@Suite struct OpenFileLimitTests {
    @Test func theSoftLimitIsRaisedToTheHardLimit() throws {
        let limits = try #require(OpenFileLimit.raiseToMaximum())
        #expect(limits.after >= limits.before)
        var current = rlimit()
        #expect(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &current) == 0)
        #expect(UInt64(current.rlim_cur) == UInt64(current.rlim_max))
    }
}
