/// Which file a byte offset belongs to: the file system's (device, inode) plus a
/// generation the tailer bumps whenever the same inode starts over (copy-truncate, or a
/// delete-and-recreate that reused the inode), so that positions and event ids stay unique.
///
/// A plain value: any thread may use it.
public struct FileIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `st_dev` of the file.
    public var device: UInt64
    /// `st_ino` of the file.
    public var inode: UInt64
    /// How many times this inode started over under this path, from 0.
    public var generation: UInt64

    /// Builds an identity.
    public init(device: UInt64, inode: UInt64, generation: UInt64 = 0) {
        self.device = device
        self.inode = inode
        self.generation = generation
    }

    /// True when both name the same inode, whatever the generation.
    public func sameInode(as other: FileIdentity) -> Bool {
        device == other.device && inode == other.inode
    }

    /// `dev:ino:gen`, for logs.
    public var description: String { "\(device):\(inode):\(generation)" }
}

/// A resume point in a followed file: the identity and the offset of the next unread byte.
///
/// This is what a checkpoint stores per path. A plain value: any thread may use it.
public struct FilePosition: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file the offset belongs to.
    public var identity: FileIdentity
    /// Byte offset of the first byte not yet covered (just after a newline).
    public var offset: UInt64

    /// Builds a position.
    public init(identity: FileIdentity, offset: UInt64) {
        self.identity = identity
        self.offset = offset
    }

    /// `dev:ino:gen@offset`, for logs.
    public var description: String { "\(identity)@\(offset)" }
}
