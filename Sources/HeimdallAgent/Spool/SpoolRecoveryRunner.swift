#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// The file side of a spool's recovery: scans every segment, performs the
/// ``SpoolRecoveryPlan``, and creates the segment to write. Blocking; used by ``Spool`` at
/// start and after a failed write.
enum SpoolRecoveryRunner {
    /// Scans every segment, performs the recovery plan and creates the segment to write.
    static func recover(
        files: SegmentFiles, maximumBytes: Int, logger: Logger, now: Date
    ) throws(SpoolError) -> (ledger: SpoolLedger, segment: UInt32, descriptor: Int32) {
        var scans: [(number: UInt32, scan: SegmentScan)] = []
        for number in try files.list() {
            do {
                scans.append((number, SegmentScanner.scan(try files.readAll(number))))
            } catch {
                logger.error("spool segment unreadable; ignored", metadata: ["error": "\(error)"])
            }
        }
        let state = files.readState()
        if state == nil, !scans.isEmpty {
            logger.warning("spool state missing or unreadable; every record found is sent again", metadata: ["path": "\(files.statePath)"])
        }
        let plan = SpoolRecoveryPlan.plan(segments: scans, state: state, maximumBytes: maximumBytes)
        for problem in plan.problems {
            logger.error("spool recovery: \(problem)", metadata: ["spool": "\(files.directory)"])
        }
        try perform(plan.steps, files: files, logger: logger, now: now)
        let descriptor = try files.create(plan.newSegment)
        if plan.lostRecords > 0 || state == nil {
            let ledger = plan.ledger
            do {
                try files.writeState(SpoolState(acknowledged: ledger.acknowledged, droppedTotal: ledger.droppedTotal, countedHoles: ledger.countedHoles))
            } catch {
                logger.error("could not save the spool state", metadata: ["error": "\(error)"])
            }
        }
        return (plan.ledger, plan.newSegment, descriptor)
    }

    private static func perform(_ steps: [SpoolRecoveryPlan.Step], files: SegmentFiles, logger: Logger, now: Date) throws(SpoolError) {
        for step in steps {
            switch step {
            case .truncate(let number, let length):
                try files.truncate(number, length: length)
            case .delete(let number):
                files.delete(number)
            case .quarantine(let number, let keep):
                let original = try files.readAll(number)
                let copied = try files.quarantine(number, bytes: original, now: now)
                logger.error("spool segment quarantined", metadata: ["segment": "\(files.path(number))", "quarantined_as": "\(copied)"])
                guard !keep.isEmpty else {
                    files.delete(number)
                    continue
                }
                var repaired = SpoolFormat.header
                for range in keep where range.upperBound <= original.count { repaired.append(contentsOf: original[range]) }
                try files.replace(number, with: repaired)
            }
        }
        try files.syncDirectory()
    }
}
