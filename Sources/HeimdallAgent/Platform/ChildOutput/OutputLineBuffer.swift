/// Splits the bytes a child process writes (`journalctl`, `log stream`) into lines (one
/// JSON record each).
///
/// A line longer than ``maximumLineBytes`` is cut there (the piece is returned as a line
/// and will not parse as a record). A pure value: use it from one task.
struct OutputLineBuffer {
    /// The longest line kept whole (journald fields and unified-log messages stay well below this).
    let maximumLineBytes: Int
    private var held: [UInt8] = []
    private(set) var lines: [String] = []
    private var lineStart = 0

    init(maximumLineBytes: Int = 4 << 20) {
        self.maximumLineBytes = maximumLineBytes
    }

    /// Complete lines waiting to be taken.
    var count: Int { lines.count - lineStart }

    /// Appends bytes, moving every completed line to the queue.
    mutating func append(_ bytes: [UInt8]) {
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            held.append(contentsOf: bytes[start..<newline])
            emitHeld()
            start = newline + 1
        }
        held.append(contentsOf: bytes[start...])
        while held.count > maximumLineBytes {
            let rest = Array(held[maximumLineBytes...])
            held.removeSubrange(maximumLineBytes...)
            emitHeld()
            held = rest
        }
    }

    /// The stream ended: a held partial line becomes a line of its own.
    mutating func finish() {
        if !held.isEmpty { emitHeld() }
    }

    /// Removes and returns up to `limit` complete lines, oldest first.
    mutating func take(_ limit: Int) -> [String] {
        let end = min(lines.count, lineStart + max(0, limit))
        let taken = Array(lines[lineStart..<end])
        lineStart = end
        if lineStart == lines.count {
            lines.removeAll(keepingCapacity: true)
            lineStart = 0
        }
        return taken
    }

    private mutating func emitHeld() {
        if held.last == UInt8(ascii: "\r") { held.removeLast() }
        if !held.isEmpty { lines.append(String(decoding: held, as: UTF8.self)) }
        held.removeAll(keepingCapacity: true)
    }
}
