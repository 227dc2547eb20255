import Foundation
import HeimdallPKI
import HeimdallStore
import Testing

@Suite struct InventoryStatusTests {
    let now = Date(timeIntervalSince1970: 1_795_169_702)

    @Test func statusCombinesStateAndExpiry() {
        #expect(InventoryStatus.of(stored: .active, notAfter: now + 60, now: now) == .active)
        #expect(InventoryStatus.of(stored: .active, notAfter: now - 60, now: now) == .expired)
        #expect(InventoryStatus.of(stored: .active, notAfter: now, now: now) == .expired)
        #expect(InventoryStatus.of(stored: .revoked, notAfter: now + 60, now: now) == .revoked)
        #expect(InventoryStatus.of(stored: .revoked, notAfter: now - 60, now: now) == .revoked)
        #expect(InventoryStatus.of(stored: .superseded, notAfter: now + 60, now: now) == .superseded)
        #expect(InventoryStatus.of(stored: .superseded, notAfter: now - 60, now: now) == .expired)
    }

    @Test func reasonCodesFollowRFC5280() {
        #expect(RevocationReason.allCases.map(\.code) == [0, 1, 2, 3, 4, 5, 6, 9, 10])
        #expect(RevocationReason(rawValue: "removeFromCRL") == nil)
        #expect(RevocationReason(rawValue: "keyCompromise") == .keyCompromise)
    }
}
