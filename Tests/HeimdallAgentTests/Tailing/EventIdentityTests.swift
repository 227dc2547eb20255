import Testing
@testable import HeimdallAgent

@Suite struct EventIdentityTests {
    let identity = FileIdentity(device: 2049, inode: 131_073, generation: 0)

    @Test func isStableAndWellFormed() {
        let first = EventIdentity.id(source: "linux.auth", fileIdentity: identity, offset: 1024, line: "Failed password")
        let again = EventIdentity.id(source: "linux.auth", fileIdentity: identity, offset: 1024, line: "Failed password")
        #expect(first == again)
        #expect(first.count == 32)
        #expect(first.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }

    @Test func changesWithEveryPart() {
        let base = EventIdentity.id(source: "linux.auth", fileIdentity: identity, offset: 1024, line: "x")
        var nextGeneration = identity
        nextGeneration.generation = 1
        var otherInode = identity
        otherInode.inode += 1
        let variants = [
            EventIdentity.id(source: "linux.auth", fileIdentity: identity, offset: 1025, line: "x"),
            EventIdentity.id(source: "linux.auth", fileIdentity: nextGeneration, offset: 1024, line: "x"),
            EventIdentity.id(source: "linux.auth", fileIdentity: otherInode, offset: 1024, line: "x"),
            EventIdentity.id(source: "linux.syslog", fileIdentity: identity, offset: 1024, line: "x"),
            EventIdentity.id(source: "linux.auth", fileIdentity: identity, offset: 1024, line: "y"),
        ]
        #expect(Set(variants + [base]).count == 6)
    }

    @Test func lengthPrefixingSeparatesParts() {
        let a = EventIdentity.id(source: "ab", fileIdentity: identity, offset: 0, line: "c")
        let b = EventIdentity.id(source: "a", fileIdentity: identity, offset: 0, line: "bc")
        #expect(a != b)
    }

    @Test func knownValueDoesNotDrift() {
        // Pinned (computed independently with Python hashlib) so that an accidental encoding change (which would re-id every event) fails.
        let id = EventIdentity.id(source: "linux.auth", fileIdentity: FileIdentity(device: 1, inode: 2, generation: 3), offset: 4, line: "line")
        #expect(id == EventIdentityTests.pinned)
    }

    static let pinned = "2926106ed6bd2a2cf98ddae505d2cfa3"
}
