/// The spool's small persistent state, `spool/state`: the first sequence number not yet
/// acknowledged, the dropped-records counter, and the ranges of sequence numbers already
/// counted as lost (so a hole found at one start is not counted again at the next) — pure
/// encode/decode; any thread.
///
///     heimdall-spool 1
///     acknowledged 1234
///     dropped_total 3
///     hole 1300 1302
public struct SpoolState: Sendable, Hashable {
    public var acknowledged: UInt64
    public var droppedTotal: Int64
    /// Missing sequence numbers already counted in `droppedTotal`.
    public var countedHoles: [ClosedRange<UInt64>]

    public init(acknowledged: UInt64, droppedTotal: Int64, countedHoles: [ClosedRange<UInt64>] = []) {
        self.acknowledged = acknowledged
        self.droppedTotal = droppedTotal
        self.countedHoles = countedHoles
    }

    /// The file's bytes.
    public var encoded: [UInt8] {
        let holes = countedHoles.map { "hole \($0.lowerBound) \($0.upperBound)\n" }.joined()
        return Array("heimdall-spool 1\nacknowledged \(acknowledged)\ndropped_total \(droppedTotal)\n\(holes)".utf8)
    }

    /// Parses the file; `nil` for anything else than what ``encoded`` writes.
    public static func decode(_ bytes: [UInt8]) -> SpoolState? {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        guard lines.count >= 3, lines[0] == "heimdall-spool 1" else { return nil }
        let values = lines.dropFirst().map { $0.split(separator: " ") }
        guard values[0].count == 2, values[0][0] == "acknowledged", let acknowledged = UInt64(values[0][1]),
              values[1].count == 2, values[1][0] == "dropped_total", let dropped = Int64(values[1][1]), dropped >= 0 else { return nil }
        var holes: [ClosedRange<UInt64>] = []
        for value in values.dropFirst(2) {
            guard value.count == 3, value[0] == "hole", let low = UInt64(value[1]), let high = UInt64(value[2]), low <= high else { return nil }
            holes.append(low...high)
        }
        return SpoolState(acknowledged: acknowledged, droppedTotal: dropped, countedHoles: holes)
    }

    /// How many of `gap`'s numbers are not in ``countedHoles`` yet; `gap` is recorded.
    mutating func countNew(_ gap: ClosedRange<UInt64>) -> Int64 {
        var known: UInt64 = 0
        for hole in countedHoles where hole.overlaps(gap) {
            known += min(hole.upperBound, gap.upperBound) - max(hole.lowerBound, gap.lowerBound) + 1
        }
        if !countedHoles.contains(where: { $0.lowerBound <= gap.lowerBound && $0.upperBound >= gap.upperBound }) {
            countedHoles.append(gap)
        }
        return Int64(UInt64(gap.count) - min(known, UInt64(gap.count)))
    }
}
