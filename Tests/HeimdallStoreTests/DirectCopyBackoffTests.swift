@testable import HeimdallStore
import Testing

@Suite struct DirectCopyBackoffTests {
    @Test func conflictsDoubleTheStagedTransactionsAndSuccessResets() {
        let backoff = DirectCopyBackoff()
        #expect(backoff.mayTryDirect())
        backoff.conflicted()
        #expect(!backoff.mayTryDirect())
        #expect(backoff.mayTryDirect())
        backoff.conflicted()
        #expect([backoff.mayTryDirect(), backoff.mayTryDirect(), backoff.mayTryDirect()] == [false, false, true])
        backoff.succeeded()
        backoff.conflicted()
        #expect([backoff.mayTryDirect(), backoff.mayTryDirect()] == [false, true])
    }

    @Test func thePenaltyIsBounded() {
        let backoff = DirectCopyBackoff()
        for _ in 0..<20 { backoff.conflicted() }
        let staged = (0..<100).prefix { _ in !backoff.mayTryDirect() }.count
        #expect(staged == DirectCopyBackoff.longestPenalty)
    }
}
