/// One line returned by ``FileTailer/poll()``, with where it came from.
///
/// A plain value: any thread may use it.
public struct TailedLine: Sendable, Hashable {
    /// How the line ended in the file.
    public enum Ending: String, Sendable, Hashable {
        /// A newline (the normal case; the newline, and a `\r` before it, are not in `text`).
        case newline
        /// The line was longer than the tailer's line limit: this is one piece of it and the
        /// next line continues it.
        case cut
        /// The file ended without a newline and will not grow any more (it was rotated away,
        /// deleted or truncated), so the held bytes were emitted as they were.
        case endOfFile
    }

    /// The configured path the line was read under (not the rotated name).
    public var path: String
    /// The file the bytes were read from.
    public var identity: FileIdentity
    /// Offset of the line's first byte.
    public var startOffset: UInt64
    /// Offset just after the line's newline: where reading resumes after this line.
    public var endOffset: UInt64
    /// The line, decoded as UTF-8 with invalid sequences replaced by U+FFFD.
    public var text: String
    /// How the line ended.
    public var ending: Ending

    /// Builds a line value.
    public init(path: String, identity: FileIdentity, startOffset: UInt64, endOffset: UInt64, text: String, ending: Ending) {
        self.path = path
        self.identity = identity
        self.startOffset = startOffset
        self.endOffset = endOffset
        self.text = text
        self.ending = ending
    }

    /// The resume point after this line, as a checkpoint stores it.
    public var resumePosition: FilePosition { FilePosition(identity: identity, offset: endOffset) }
}

extension Sequence where Element == TailedLine {
    /// The resume position of the last line of each path: what a data frame carrying
    /// these lines covers.
    public var resumePositions: [String: FilePosition] {
        var positions: [String: FilePosition] = [:]
        for line in self { positions[line.path] = line.resumePosition }
        return positions
    }
}
