#if canImport(Glibc)
import Glibc
#endif
import Logging

/// Follows one configured path across rotations. Owned and driven by one ``FileTailer``.
final class PathFollower {
    let path: String
    private let maxLineBytes: Int
    private let rotationGrace: Duration
    private let logger: Logger

    /// A rotated-away file being finished before the file now at the path is read.
    private var draining: OpenFile?
    /// The file now at the path, being followed.
    private var active: OpenFile?
    /// Where to start in the file at the path if it is still this inode when opened.
    private var expected: FilePosition?
    /// The last file followed under this path (to bump the generation on inode reuse).
    private var previous: FileIdentity?
    /// The current error, if the path cannot be followed right now.
    private(set) var error: TailError?

    init(target: FileTailer.Target, checkpoint: FilePosition?, maxLineBytes: Int, rotationGrace: Duration, logger: Logger) {
        self.path = target.path
        self.maxLineBytes = maxLineBytes
        self.rotationGrace = rotationGrace
        var logger = logger
        logger[metadataKey: "path"] = "\(target.path)"
        self.logger = logger
        let current = try? FileStat.of(path: target.path).get()
        var siblings: [(path: String, stat: FileStat)] = []
        if let checkpoint, current.map({ !$0.matches(checkpoint.identity) }) ?? true {
            siblings = RotatedSiblings.of(target.path).compactMap { sibling in
                (try? FileStat.of(path: sibling).get()).map { (sibling, $0) }
            }
        }
        let plan = TailDecisions.plan(checkpoint: checkpoint, current: current, start: target.start, siblings: siblings)
        expected = plan.expected
        previous = checkpoint?.identity
        if let drain = plan.drain { openDrain(drain) } else if let checkpoint, plan.expected == nil {
            logger.warning("checkpointed file not found among rotated siblings; lines after the checkpoint may be lost", metadata: [
                "checkpoint": "\(checkpoint)",
            ])
        }
    }

    /// The position a restart would resume from, for diagnostics.
    var position: FilePosition? { draining?.resumePosition ?? active?.resumePosition ?? expected }

    /// Returns the lines available within `budget`, handling rotation and truncation.
    func poll(budget: inout PollBudget) -> [TailedLine] {
        var output: [TailedLine] = []
        // A rotation inside this poll leads to at most one more pass (finish old, open new).
        for _ in 0..<3 {
            guard finishDraining(into: &output, budget: &budget) else { return output }
            guard let file = active ?? openActive() else { return output }
            if checkChange(of: file, into: &output) { continue }
            switch file.read(into: &output, path: path, budget: &budget) {
            case .success: break
            case .failure(let failure):
                expected = file.resumePosition
                active = nil
                record(failure)
            }
            return output
        }
        return output
    }

    /// Reads the draining file to its end. Returns `false` while it is not finished.
    private func finishDraining(into output: inout [TailedLine], budget: inout PollBudget) -> Bool {
        guard let file = draining else { return true }
        switch file.read(into: &output, path: path, budget: &budget) {
        case .success(false):
            return false
        case .success(true):
            // Its writer may still append until it reopens the path: wait out the grace.
            if let until = file.lingerUntil, ContinuousClock.now < until { return false }
            if let held = file.flush(path: path) { output.append(held) }
            logger.info("finished rotated file", metadata: ["file": "\(file.diskPath)", "position": "\(file.resumePosition)"])
        case .failure(let failure):
            logger.error("cannot finish rotated file; its remaining lines are lost", metadata: ["error": "\(failure)"])
        }
        previous = file.identity
        draining = nil
        return true
    }

    /// Looks at the path and the open file; returns `true` when the file was rotated away
    /// (it became the draining file and the caller should start over).
    private func checkChange(of file: OpenFile, into output: inout [TailedLine]) -> Bool {
        let pathStat: FileStat?
        switch FileStat.of(path: path) {
        case .success(let stat): pathStat = stat
        case .failure(let failure) where failure.errno == ENOENT: pathStat = nil
        case .failure: return false  // cannot tell right now: keep reading the open file
        }
        let size = (try? FileStat.of(descriptor: file.descriptor, path: path).get())?.size ?? file.readOffset
        switch TailDecisions.detect(tracked: file.identity, consumed: file.readOffset, descriptorSize: size, pathStat: pathStat) {
        case .unchanged:
            return false
        case .truncated:
            logger.notice("file truncated; restarting at offset 0 with a new generation", metadata: ["identity": "\(file.identity)"])
            if let held = file.restartAfterTruncation(path: path) { output.append(held) }
            return false
        case .replaced, .removed:
            logger.info("file rotated or removed; finishing it through the open descriptor", metadata: ["identity": "\(file.identity)"])
            file.lingerUntil = ContinuousClock.now.advanced(by: rotationGrace)
            draining = file
            active = nil
            return true
        }
    }

    /// Opens the file now at the path, or records why it cannot be opened.
    private func openActive() -> OpenFile? {
        switch OpenFile.open(path) {
        case .failure(let failure) where failure.code == .open && failure.errno == ENOENT:
            clearError()
            return nil
        case .failure(let failure):
            record(failure)
            return nil
        case .success(let (descriptor, stat)):
            let position: FilePosition
            if let expected, stat.matches(expected.identity) {
                position = TailDecisions.resume(expected, size: stat.size)
            } else {
                position = FilePosition(identity: TailDecisions.freshIdentity(for: stat, previous: previous), offset: 0)
            }
            expected = nil
            clearError()
            logger.info("following file", metadata: ["position": "\(position)"])
            let file = OpenFile.adopt(descriptor: descriptor, diskPath: path, position: position, maxLineBytes: maxLineBytes)
            active = file
            return file
        }
    }

    private func openDrain(_ drain: StartPlan.Drain) {
        switch OpenFile.open(drain.diskPath) {
        case .success(let (descriptor, stat)) where stat.matches(drain.position.identity):
            logger.info("finishing file rotated while stopped", metadata: ["file": "\(drain.diskPath)", "position": "\(drain.position)"])
            draining = OpenFile.adopt(descriptor: descriptor, diskPath: drain.diskPath, position: drain.position, maxLineBytes: maxLineBytes)
        case .success(let (descriptor, _)):
            close(descriptor)
            logger.warning("rotated file changed before it could be opened", metadata: ["file": "\(drain.diskPath)"])
        case .failure(let failure):
            logger.error("cannot open rotated file; its remaining lines are lost", metadata: ["error": "\(failure)"])
        }
    }

    private func record(_ failure: TailError) {
        if failure != error {
            logger.error("cannot follow file", metadata: ["error": "\(failure)", "code": "\(failure.code)"])
        }
        error = failure
    }

    private func clearError() {
        if error != nil { logger.info("file readable again") }
        error = nil
    }
}
