import Testing
@testable import HeimdallAgent

@Suite struct TailDecisionsTests {
    let checkpoint = FilePosition(identity: FileIdentity(device: 1, inode: 10, generation: 2), offset: 500)

    @Test func noCheckpointStartsAtBeginningOrEnd() {
        let current = FileStat(device: 1, inode: 10, size: 800)
        let fromStart = TailDecisions.plan(checkpoint: nil, current: current, start: .beginning, siblings: [])
        #expect(fromStart.expected == FilePosition(identity: FileIdentity(device: 1, inode: 10), offset: 0))
        let fromEnd = TailDecisions.plan(checkpoint: nil, current: current, start: .end, siblings: [])
        #expect(fromEnd.expected?.offset == 800)
        #expect(TailDecisions.plan(checkpoint: nil, current: nil, start: .end, siblings: []) == StartPlan(drain: nil, expected: nil))
    }

    @Test func sameInodeResumesOrRestartsWhenTruncated() {
        let grown = TailDecisions.plan(checkpoint: checkpoint, current: FileStat(device: 1, inode: 10, size: 900), start: .end, siblings: [])
        #expect(grown.expected == checkpoint && grown.drain == nil)
        let shrunk = TailDecisions.plan(checkpoint: checkpoint, current: FileStat(device: 1, inode: 10, size: 100), start: .end, siblings: [])
        #expect(shrunk.expected == FilePosition(identity: FileIdentity(device: 1, inode: 10, generation: 3), offset: 0))
    }

    @Test func rotatedWhileDownFinishesSiblingFirst() {
        let siblings = [
            (path: "/l/auth.log.2", stat: FileStat(device: 1, inode: 7, size: 50)),
            (path: "/l/auth.log.1", stat: FileStat(device: 1, inode: 10, size: 700)),
        ]
        let plan = TailDecisions.plan(checkpoint: checkpoint, current: FileStat(device: 1, inode: 11, size: 30), start: .end, siblings: siblings)
        #expect(plan.drain == StartPlan.Drain(diskPath: "/l/auth.log.1", position: checkpoint))
        #expect(plan.expected == nil)
    }

    @Test func rotatedSiblingNotFoundReadsNewFileFromStart() {
        let plan = TailDecisions.plan(checkpoint: checkpoint, current: FileStat(device: 1, inode: 11, size: 30), start: .end, siblings: [])
        #expect(plan == StartPlan(drain: nil, expected: nil))
    }

    @Test func detectsChanges() {
        let tracked = FileIdentity(device: 1, inode: 10, generation: 0)
        let same = FileStat(device: 1, inode: 10, size: 100)
        #expect(TailDecisions.detect(tracked: tracked, consumed: 50, descriptorSize: 100, pathStat: same) == .unchanged)
        #expect(TailDecisions.detect(tracked: tracked, consumed: 50, descriptorSize: 10, pathStat: same) == .truncated)
        #expect(TailDecisions.detect(tracked: tracked, consumed: 50, descriptorSize: 100, pathStat: FileStat(device: 1, inode: 11, size: 0)) == .replaced)
        #expect(TailDecisions.detect(tracked: tracked, consumed: 50, descriptorSize: 100, pathStat: nil) == .removed)
    }

    @Test func reusedInodeGetsNextGeneration() {
        let previous = FileIdentity(device: 1, inode: 10, generation: 4)
        #expect(TailDecisions.freshIdentity(for: FileStat(device: 1, inode: 10, size: 0), previous: previous).generation == 5)
        #expect(TailDecisions.freshIdentity(for: FileStat(device: 1, inode: 12, size: 0), previous: previous).generation == 0)
    }

    @Test func siblingNames() {
        #expect(RotatedSiblings.isSibling("auth.log.1", of: "auth.log"))
        #expect(RotatedSiblings.isSibling("auth.log-20261120", of: "auth.log"))
        #expect(!RotatedSiblings.isSibling("auth.log.2.gz", of: "auth.log"))
        #expect(!RotatedSiblings.isSibling("auth.logger", of: "auth.log"))
        #expect(!RotatedSiblings.isSibling("auth.log", of: "auth.log"))
    }
}
