#if canImport(Glibc)
import Glibc
#endif

/// How much one ``FileTailer/poll()`` may still return.
struct PollBudget: Hashable {
    var lines: Int
    var bytes: Int
    var exhausted: Bool { lines <= 0 || bytes <= 0 }
}

/// An open descriptor on a followed file with its line splitter. Owns the descriptor and
/// closes it when released. Used by one ``FileTailer`` only, never shared.
final class OpenFile {
    static let chunkSize = 64 * 1024

    let descriptor: Int32
    /// The name the file was opened under (a rotated sibling's name when draining one).
    let diskPath: String
    var identity: FileIdentity
    var splitter: LineSplitter
    /// For a file rotated away: keep it open (and re-read it) until this instant.
    var lingerUntil: ContinuousClock.Instant?

    private init(descriptor: Int32, diskPath: String, identity: FileIdentity, offset: UInt64, maxLineBytes: Int) {
        self.descriptor = descriptor
        self.diskPath = diskPath
        self.identity = identity
        self.splitter = LineSplitter(offset: offset, maxLineBytes: maxLineBytes)
    }

    deinit { close(descriptor) }

    /// Opens a regular file for reading (never blocks on FIFOs) and stats it.
    static func open(_ path: String) -> Result<(descriptor: Int32, stat: FileStat), TailError> {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .failure(TailError(code: .open, path: path, errno: errno)) }
        switch FileStat.of(descriptor: fd, path: path) {
        case .failure(let error):
            close(fd)
            return .failure(error)
        case .success(let stat):
            guard stat.isRegular else {
                close(fd)
                return .failure(TailError(code: .notRegularFile, path: path, errno: 0))
            }
            return .success((fd, stat))
        }
    }

    /// Up to `maximum` bytes from the start of the regular file at `path` (fewer at end of
    /// file or on a read error), or nil when it cannot be opened or is not a regular file.
    /// Blocking; any thread.
    static func readPrefix(of path: String, maximum: Int) -> [UInt8]? {
        guard case .success(let opened) = open(path) else { return nil }
        defer { close(opened.descriptor) }
        var bytes = [UInt8](repeating: 0, count: maximum)
        var filled = 0
        while filled < maximum {
            let count = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.read(opened.descriptor, base + filled, maximum - filled)
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            filled += count
        }
        return Array(bytes.prefix(filled))
    }

    /// Wraps an opened descriptor, starting at `position`.
    static func adopt(descriptor: Int32, diskPath: String, position: FilePosition, maxLineBytes: Int) -> OpenFile {
        OpenFile(descriptor: descriptor, diskPath: diskPath, identity: position.identity, offset: position.offset, maxLineBytes: maxLineBytes)
    }

    /// Offset of the next byte to read (the held partial line counts as read).
    var readOffset: UInt64 { splitter.nextOffset }

    /// Where a restart would resume: the start of the held partial line.
    var resumePosition: FilePosition { FilePosition(identity: identity, offset: splitter.pendingStart) }

    /// Starts the same inode over at offset 0 under the next generation (after a truncation).
    /// Returns the held partial line, emitted as it was.
    func restartAfterTruncation(path: String) -> TailedLine? {
        let held = splitter.flush().map { line(from: $0, path: path) }
        identity.generation += 1
        splitter = LineSplitter(offset: 0, maxLineBytes: splitter.maxLineBytes)
        return held
    }

    /// Emits the held partial line of a file that will not grow any more.
    func flush(path: String) -> TailedLine? {
        splitter.flush().map { line(from: $0, path: path) }
    }

    /// Reads complete lines into `output` until EOF or the budget is spent.
    ///
    /// - Returns: `true` at end of file, `false` when the budget ran out first.
    func read(into output: inout [TailedLine], path: String, budget: inout PollBudget) -> Result<Bool, TailError> {
        var buffer = [UInt8](repeating: 0, count: OpenFile.chunkSize)
        while !budget.exhausted {
            let wanted = min(OpenFile.chunkSize, budget.bytes)
            let count = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return pread(descriptor, base, wanted, off_t(readOffset))
            }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(TailError(code: .read, path: diskPath, errno: errno))
            }
            if count == 0 { return .success(true) }
            let (lines, consumed) = splitter.feed(buffer[0..<count], maxLines: budget.lines)
            budget.bytes -= consumed
            budget.lines -= lines.count
            output.append(contentsOf: lines.map { line(from: $0, path: path) })
        }
        return .success(false)
    }

    private func line(from raw: RawLine, path: String) -> TailedLine {
        TailedLine(path: path, identity: identity, startOffset: raw.start, endOffset: raw.end, text: raw.text, ending: raw.ending)
    }
}
