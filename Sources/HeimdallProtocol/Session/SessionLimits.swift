/// The limits a hub enforces on a session and announces in `welcome`.
public struct SessionLimits: Sendable, Hashable {
    /// Seconds between heartbeats an agent must keep while otherwise idle.
    public var heartbeatInterval: Int
    /// The largest frame payload, in bytes (`max_frame`).
    public var maximumFrameLength: Int
    /// The most events in one `events` frame (`max_batch`).
    public var maximumBatchSize: Int
    /// The most unacknowledged data frames an agent may have (`window`).
    public var window: Int

    /// protocol.md's defaults: 30 s, 1 MiB, 1,000 events, 16 frames.
    public static let `default` = SessionLimits(heartbeatInterval: 30, maximumFrameLength: 1_048_576, maximumBatchSize: 1000, window: 16)

    public init(heartbeatInterval: Int, maximumFrameLength: Int, maximumBatchSize: Int, window: Int) {
        self.heartbeatInterval = heartbeatInterval
        self.maximumFrameLength = maximumFrameLength
        self.maximumBatchSize = maximumBatchSize
        self.window = window
    }
}

/// The protocol versions this build speaks.
public enum ProtocolVersion {
    /// The only version so far.
    public static let current = 1
}
