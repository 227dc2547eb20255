/// Where to begin following a path, from its checkpoint and what is on disk now.
struct StartPlan: Hashable {
    /// A rotated-away file to finish first: its name on disk now and where to resume in it.
    struct Drain: Hashable {
        var diskPath: String
        var position: FilePosition
    }

    /// Finish this sibling first (the path rotated while the agent was down).
    var drain: Drain?
    /// Where to start in the file now at the path, valid only if it is still that inode when
    /// opened; `nil` means "whatever appears there is new: read it from offset 0".
    var expected: FilePosition?
}

/// How a followed file changed since the last look.
enum FileChange: Hashable {
    /// Nothing that needs handling: keep reading.
    case unchanged
    /// The file shrank below what was read (copy-truncate): restart at 0, new generation.
    case truncated
    /// The path now names another file (rotation by rename, delete and recreate).
    case replaced
    /// The path no longer exists.
    case removed
}

/// The pure decisions of ``FileTailer``: no I/O, tested with plain values.
enum TailDecisions {
    /// Decides where to start a path.
    ///
    /// - Parameters:
    ///   - checkpoint: the last acknowledged position for the path, if any.
    ///   - current: the file now at the path (`nil` when it does not exist).
    ///   - start: where a path without checkpoint starts.
    ///   - siblings: rotated siblings of the path with their stats, searched for the
    ///     checkpointed inode when the path now names another file.
    static func plan(
        checkpoint: FilePosition?, current: FileStat?, start: FileTailer.StartPosition,
        siblings: [(path: String, stat: FileStat)]
    ) -> StartPlan {
        guard let checkpoint else {
            guard let current else { return StartPlan(drain: nil, expected: nil) }
            let identity = FileIdentity(device: current.device, inode: current.inode)
            let offset: UInt64 = start == .end ? current.size : 0
            return StartPlan(drain: nil, expected: FilePosition(identity: identity, offset: offset))
        }
        if let current, current.matches(checkpoint.identity) {
            return StartPlan(drain: nil, expected: resume(checkpoint, size: current.size))
        }
        // The path names another file (or none): the checkpointed one was rotated away.
        var drain: StartPlan.Drain?
        if let sibling = siblings.first(where: { $0.stat.matches(checkpoint.identity) }), sibling.stat.isRegular {
            drain = .init(diskPath: sibling.path, position: resume(checkpoint, size: sibling.stat.size))
        }
        return StartPlan(drain: drain, expected: nil)
    }

    /// The checkpoint itself, or offset 0 with the next generation when the file is now
    /// shorter than the checkpointed offset (it was truncated).
    static func resume(_ checkpoint: FilePosition, size: UInt64) -> FilePosition {
        guard size < checkpoint.offset else { return checkpoint }
        var identity = checkpoint.identity
        identity.generation += 1
        return FilePosition(identity: identity, offset: 0)
    }

    /// The identity for a file newly found at a path: generation 0, or one more than the
    /// previous file's when the inode was reused (delete and recreate on the same inode).
    static func freshIdentity(for stat: FileStat, previous: FileIdentity?) -> FileIdentity {
        var identity = FileIdentity(device: stat.device, inode: stat.inode)
        if let previous, stat.matches(previous) { identity.generation = previous.generation + 1 }
        return identity
    }

    /// Classifies what happened to a file being read.
    ///
    /// - Parameters:
    ///   - tracked: the identity of the open file.
    ///   - consumed: how many bytes of it were read.
    ///   - descriptorSize: its size now, through the open descriptor.
    ///   - pathStat: what the path names now (`nil` when it no longer exists).
    static func detect(tracked: FileIdentity, consumed: UInt64, descriptorSize: UInt64, pathStat: FileStat?) -> FileChange {
        guard let pathStat else { return .removed }
        guard pathStat.matches(tracked) else { return .replaced }
        return descriptorSize < consumed ? .truncated : .unchanged
    }
}
