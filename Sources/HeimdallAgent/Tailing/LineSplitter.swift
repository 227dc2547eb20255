/// A line cut out of a byte stream by ``LineSplitter``, before decoding.
struct RawLine: Hashable {
    var bytes: [UInt8]
    var start: UInt64
    var end: UInt64
    var ending: TailedLine.Ending

    /// The bytes as text: a trailing `\r` is dropped, invalid UTF-8 becomes U+FFFD.
    var text: String {
        var content = bytes[...]
        if ending == .newline, content.last == UInt8(ascii: "\r") { content = content.dropLast() }
        return String(decoding: content, as: UTF8.self)
    }
}

/// Splits a byte stream into lines, holding a partial last line until its newline arrives.
///
/// Pure value logic (no I/O). The held partial line never exceeds `maxLineBytes`: a longer
/// line is emitted in pieces of exactly `maxLineBytes` bytes (ending ``TailedLine/Ending/cut``).
struct LineSplitter: Hashable {
    let maxLineBytes: Int
    private(set) var pending: [UInt8] = []
    private(set) var pendingStart: UInt64

    init(offset: UInt64, maxLineBytes: Int) {
        self.pendingStart = offset
        self.maxLineBytes = max(1, maxLineBytes)
    }

    /// Offset of the next byte to feed.
    var nextOffset: UInt64 { pendingStart + UInt64(pending.count) }

    /// Consumes bytes from `chunk` (which must start at ``nextOffset``) until `maxLines`
    /// lines are complete or the chunk is exhausted. Returns the lines and how many bytes of
    /// the chunk were consumed; the caller re-feeds the rest later.
    mutating func feed(_ chunk: ArraySlice<UInt8>, maxLines: Int) -> (lines: [RawLine], consumed: Int) {
        var lines: [RawLine] = []
        var index = chunk.startIndex
        while index < chunk.endIndex, lines.count < maxLines {
            let room = maxLineBytes - pending.count
            // One byte past the room: a newline right after a full-length line still ends it.
            let window = chunk[index..<min(chunk.endIndex, index + room + 1)]
            if let newline = window.firstIndex(of: UInt8(ascii: "\n")) {
                pending.append(contentsOf: chunk[index..<newline])
                index = newline + 1
                lines.append(take(ending: .newline, extra: 1))
            } else {
                let stop = min(chunk.endIndex, index + room)
                pending.append(contentsOf: chunk[index..<stop])
                index = stop
                if pending.count >= maxLineBytes { lines.append(take(ending: .cut, extra: 0)) }
            }
        }
        return (lines, index - chunk.startIndex)
    }

    /// Emits the held partial line (if any) as a final ``TailedLine/Ending/endOfFile`` line.
    mutating func flush() -> RawLine? {
        guard !pending.isEmpty else { return nil }
        return take(ending: .endOfFile, extra: 0)
    }

    private mutating func take(ending: TailedLine.Ending, extra: UInt64) -> RawLine {
        let end = pendingStart + UInt64(pending.count) + extra
        let line = RawLine(bytes: pending, start: pendingStart, end: end, ending: ending)
        pending.removeAll(keepingCapacity: true)
        pendingStart = end
        return line
    }
}
