/// Usage of one mounted file system (from `statvfs`), in bytes and inodes.
public struct DiskUsage: Sendable, Hashable {
    public var mount: MountEntry
    public var totalBytes: UInt64
    /// Blocks in use (total minus free), as `df` counts them.
    public var usedBytes: UInt64
    /// Bytes available to unprivileged users.
    public var availableBytes: UInt64
    public var totalInodes: UInt64
    public var freeInodes: UInt64

    public init(mount: MountEntry, totalBytes: UInt64, usedBytes: UInt64, availableBytes: UInt64, totalInodes: UInt64, freeInodes: UInt64) {
        self.mount = mount
        self.totalBytes = totalBytes
        self.usedBytes = usedBytes
        self.availableBytes = availableBytes
        self.totalInodes = totalInodes
        self.freeInodes = freeInodes
    }
}

/// One process as sampled: its `stat`, and its `status` once it was selected for a top list.
public struct ProcessSample: Sendable, Hashable {
    public var stat: ProcessStat
    public var status: ProcessStatus?

    public init(stat: ProcessStat, status: ProcessStatus? = nil) {
        self.stat = stat
        self.status = status
    }

    /// Identifies the process across samples (a pid can be reused).
    public var identity: ProcessIdentity { ProcessIdentity(pid: stat.pid, startTicks: stat.startTicks) }
}

/// A pid and its start time: the same process in two samples.
public struct ProcessIdentity: Sendable, Hashable {
    public var pid: Int
    public var startTicks: UInt64
}

/// Everything read from the system in one pass, before any arithmetic. Two of them (the
/// previous and the current) make a snapshot: see ``StatusMetrics``. Pure value.
public struct StatusReadings: Sendable, Hashable {
    /// Seconds since boot (`/proc/uptime`): the clock for rates.
    public var uptime: Double
    public var cpu: CPUTimes?
    public var cpuCount: Int
    public var load: [Double]?
    /// `/proc/meminfo` in bytes by key.
    public var memory: [String: UInt64]
    public var disks: [DiskUsage]
    public var interfaces: [InterfaceCounters]
    public var processes: [ProcessSample]
    /// `sysconf(_SC_CLK_TCK)`, usually 100.
    public var clockTicksPerSecond: Double
    /// `sysconf(_SC_PAGESIZE)`.
    public var pageSize: UInt64
    /// `PRETTY_NAME` of `/etc/os-release`.
    public var operatingSystem: String?
    /// `uname -sr` style: `Linux 6.8.0-45-generic`.
    public var kernel: String?

    public init(
        uptime: Double, cpu: CPUTimes? = nil, cpuCount: Int = 1, load: [Double]? = nil, memory: [String: UInt64] = [:],
        disks: [DiskUsage] = [], interfaces: [InterfaceCounters] = [], processes: [ProcessSample] = [],
        clockTicksPerSecond: Double = 100, pageSize: UInt64 = 4096, operatingSystem: String? = nil, kernel: String? = nil
    ) {
        self.uptime = uptime
        self.cpu = cpu
        self.cpuCount = cpuCount
        self.load = load
        self.memory = memory
        self.disks = disks
        self.interfaces = interfaces
        self.processes = processes
        self.clockTicksPerSecond = clockTicksPerSecond
        self.pageSize = pageSize
        self.operatingSystem = operatingSystem
        self.kernel = kernel
    }
}
