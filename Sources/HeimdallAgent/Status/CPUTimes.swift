/// Cumulative CPU time from one `cpu` line of `/proc/stat`, in clock ticks.
///
/// `guest` and `guest_nice` are left out: the kernel already counts them in `user` and
/// `nice`. Pure value; any thread.
public struct CPUTimes: Sendable, Hashable {
    public var user: UInt64
    public var nice: UInt64
    public var system: UInt64
    public var idle: UInt64
    public var iowait: UInt64
    public var irq: UInt64
    public var softirq: UInt64
    public var steal: UInt64

    public init(
        user: UInt64, nice: UInt64 = 0, system: UInt64, idle: UInt64, iowait: UInt64 = 0,
        irq: UInt64 = 0, softirq: UInt64 = 0, steal: UInt64 = 0
    ) {
        self.user = user
        self.nice = nice
        self.system = system
        self.idle = idle
        self.iowait = iowait
        self.irq = irq
        self.softirq = softirq
        self.steal = steal
    }

    /// Every tick counted, idle and iowait included.
    public var total: UInt64 { user &+ nice &+ system &+ idle &+ iowait &+ irq &+ softirq &+ steal }
}

/// The CPU time shares between two readings, in percent of all CPUs (0...100).
public struct CPUUsage: Sendable, Hashable {
    /// Everything but idle and iowait.
    public var busy: Double
    /// `user` + `nice`.
    public var user: Double
    /// `system` + `irq` + `softirq`.
    public var system: Double
    public var iowait: Double
    public var steal: Double
    public var idle: Double

    /// The shares of the ticks that passed from `earlier` to `later`; `nil` when no tick
    /// passed or a counter went backwards (a reset, or readings from different machines).
    public init?(from earlier: CPUTimes, to later: CPUTimes) {
        let pairs: [(UInt64, UInt64)] = [
            (earlier.user, later.user), (earlier.nice, later.nice), (earlier.system, later.system),
            (earlier.idle, later.idle), (earlier.iowait, later.iowait), (earlier.irq, later.irq),
            (earlier.softirq, later.softirq), (earlier.steal, later.steal),
        ]
        guard pairs.allSatisfy({ $0.0 <= $0.1 }) else { return nil }
        let deltas = pairs.map { Double($0.1 - $0.0) }
        let total = deltas.reduce(0, +)
        guard total > 0 else { return nil }
        func share(_ ticks: Double) -> Double { ticks / total * 100 }
        user = share(deltas[0] + deltas[1])
        system = share(deltas[2] + deltas[5] + deltas[6])
        idle = share(deltas[3])
        iowait = share(deltas[4])
        steal = share(deltas[7])
        busy = share(total - deltas[3] - deltas[4])
    }
}
