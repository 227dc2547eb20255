import HeimdallProtocol

/// Turns two ``StatusReadings`` (the previous and the current) into the `metrics` object
/// of a `status` frame. Pure arithmetic, no I/O; any thread.
///
/// Rates and CPU percentages are over the interval between the two readings; without a
/// previous reading (or when a counter went backwards) they are `null`.
public enum StatusMetrics {
    /// A process with its share of the interval.
    public struct RankedProcess: Sendable, Hashable {
        public var sample: ProcessSample
        /// Percent of one CPU over the interval (may exceed 100 for multithreaded work);
        /// `nil` without a previous reading.
        public var cpuPercent: Double?
        public var residentBytes: UInt64
    }

    /// The `metrics` object. `topCount` processes are listed by CPU and by RSS.
    public static func snapshot(previous: StatusReadings?, current: StatusReadings, agentVersion: String, topCount: Int = 10) -> JSONValue {
        let elapsed = previous.map { current.uptime - $0.uptime } ?? 0
        let usage = previous?.cpu.flatMap { earlier in current.cpu.flatMap { CPUUsage(from: earlier, to: $0) } }
        let top = topProcesses(previous: previous, current: current, count: topCount)
        var union: [Int: RankedProcess] = [:]
        for process in top.byCPU + top.byRSS { union[process.sample.stat.pid] = process }
        var metrics: [String: JSONValue] = [
            "cpu_percent": usage.map { .number(round2($0.busy)) } ?? .null,
            "cpu": cpuObject(usage, cores: current.cpuCount),
            "load": current.load.map { .array($0.map { .number(round2($0)) }) } ?? .null,
            "memory": memoryObject(current.memory),
            "swap": swapObject(current.memory),
            "disks": .array(current.disks.map(diskObject)),
            "network": .array(networkObjects(previous: previous?.interfaces ?? [], current: current.interfaces, elapsed: elapsed)),
            "processes": .array(union.values.sorted { $0.sample.stat.pid < $1.sample.stat.pid }.map(processObject)),
            "top_cpu": .array(top.byCPU.map(processObject)),
            "top_rss": .array(top.byRSS.map(processObject)),
            "process_count": .number(Double(current.processes.count)),
            "uptime_s": .number(current.uptime.rounded(.down)),
            "agent_version": .string(agentVersion),
        ]
        if elapsed > 0 { metrics["interval_s"] = .number(round2(elapsed)) }
        if let os = current.operatingSystem { metrics["os"] = .string(os) }
        if let kernel = current.kernel { metrics["kernel"] = .string(kernel) }
        return .object(metrics)
    }

    /// The processes using the most CPU over the interval (only with a previous reading;
    /// idle ones left out) and the most memory, `count` of each, biggest first.
    public static func topProcesses(previous: StatusReadings?, current: StatusReadings, count: Int) -> (byCPU: [RankedProcess], byRSS: [RankedProcess]) {
        let earlierTicks = Dictionary(
            (previous?.processes ?? []).map { ($0.identity, $0.stat.cpuTicks) }, uniquingKeysWith: { first, _ in first }
        )
        let ranked = current.processes.map { sample in
            RankedProcess(
                sample: sample, cpuPercent: processCPUPercent(sample.stat, earlierTicks: earlierTicks, previous: previous, current: current),
                residentBytes: sample.status?.residentBytes ?? sample.stat.residentPages &* current.pageSize
            )
        }
        let byCPU = ranked.filter { ($0.cpuPercent ?? 0) > 0 }
            .sorted { ($0.cpuPercent ?? 0, $1.sample.stat.pid) > ($1.cpuPercent ?? 0, $0.sample.stat.pid) }
        let byRSS = ranked.filter { $0.residentBytes > 0 }
            .sorted { ($0.residentBytes, $1.sample.stat.pid) > ($1.residentBytes, $0.sample.stat.pid) }
        return (Array(byCPU.prefix(count)), Array(byRSS.prefix(count)))
    }

    /// Percent of one CPU `stat` used since `previous`: a process not seen then counts from
    /// zero if it started after it, and is unknown otherwise.
    static func processCPUPercent(
        _ stat: ProcessStat, earlierTicks: [ProcessIdentity: UInt64], previous: StatusReadings?, current: StatusReadings
    ) -> Double? {
        guard let previous, current.uptime > previous.uptime, current.clockTicksPerSecond > 0 else { return nil }
        let identity = ProcessIdentity(pid: stat.pid, startTicks: stat.startTicks)
        let earlier: UInt64
        if let seen = earlierTicks[identity] {
            earlier = seen
        } else if Double(stat.startTicks) >= previous.uptime * current.clockTicksPerSecond {
            earlier = 0
        } else {
            return nil
        }
        guard stat.cpuTicks >= earlier else { return nil }
        let seconds = Double(stat.cpuTicks - earlier) / current.clockTicksPerSecond
        return seconds / (current.uptime - previous.uptime) * 100
    }

    /// Bytes per second from `earlier` to `later` over `elapsed` seconds; `nil` when no time
    /// passed or the counter went backwards (reset or wrap).
    public static func rate(from earlier: UInt64, to later: UInt64, elapsed: Double) -> Double? {
        guard elapsed > 0, later >= earlier else { return nil }
        return Double(later - earlier) / elapsed
    }

    static func round2(_ value: Double) -> Double {
        (value * 100).rounded() / 100
    }

    private static func number(_ value: UInt64) -> JSONValue { .number(Double(value)) }

    private static func cpuObject(_ usage: CPUUsage?, cores: Int) -> JSONValue {
        var object: [String: JSONValue] = ["cores": .number(Double(cores))]
        if let usage {
            object["user"] = .number(round2(usage.user))
            object["system"] = .number(round2(usage.system))
            object["iowait"] = .number(round2(usage.iowait))
            object["steal"] = .number(round2(usage.steal))
            object["idle"] = .number(round2(usage.idle))
        }
        return .object(object)
    }

    private static func memoryObject(_ info: [String: UInt64]) -> JSONValue {
        guard let total = info["MemTotal"] else { return .null }
        let free = info["MemFree"] ?? 0
        // Kernels before 3.14 have no MemAvailable: estimate it the way `free` did.
        let available = min(total, info["MemAvailable"] ?? (free &+ (info["Buffers"] ?? 0) &+ (info["Cached"] ?? 0)))
        return .object([
            "total": number(total), "used": number(total - available), "available": number(available), "free": number(free),
        ])
    }

    private static func swapObject(_ info: [String: UInt64]) -> JSONValue {
        guard let total = info["SwapTotal"] else { return .null }
        let free = min(total, info["SwapFree"] ?? total)
        return .object(["total": number(total), "used": number(total - free), "free": number(free)])
    }

    private static func diskObject(_ disk: DiskUsage) -> JSONValue {
        .object([
            "mount": .string(disk.mount.mountPoint), "device": .string(disk.mount.source), "fs": .string(disk.mount.fileSystemType),
            "total": number(disk.totalBytes), "used": number(disk.usedBytes), "free": number(disk.availableBytes),
            "inodes_total": number(disk.totalInodes), "inodes_used": number(disk.totalInodes - min(disk.freeInodes, disk.totalInodes)),
            "inodes_free": number(disk.freeInodes),
        ])
    }

    static func networkObjects(previous: [InterfaceCounters], current: [InterfaceCounters], elapsed: Double) -> [JSONValue] {
        let earlier = Dictionary(previous.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return current.filter { $0.name != "lo" }.map { counters in
            let before = earlier[counters.name]
            func rateValue(_ keyPath: KeyPath<InterfaceCounters, UInt64>) -> JSONValue {
                guard let before, let value = rate(from: before[keyPath: keyPath], to: counters[keyPath: keyPath], elapsed: elapsed) else { return .null }
                return .number(round2(value))
            }
            return .object([
                "iface": .string(counters.name),
                "rx_bytes": number(counters.receivedBytes), "tx_bytes": number(counters.transmittedBytes),
                "rx_packets": number(counters.receivedPackets), "tx_packets": number(counters.transmittedPackets),
                "rx_errors": number(counters.receiveErrors), "tx_errors": number(counters.transmitErrors),
                "rx_dropped": number(counters.receiveDrops), "tx_dropped": number(counters.transmitDrops),
                "rx_rate": rateValue(\.receivedBytes), "tx_rate": rateValue(\.transmittedBytes),
            ])
        }
    }

    private static func processObject(_ process: RankedProcess) -> JSONValue {
        var object: [String: JSONValue] = [
            "pid": .number(Double(process.sample.stat.pid)),
            "name": .string(process.sample.status?.name ?? process.sample.stat.name),
            "cpu_percent": process.cpuPercent.map { .number(round2($0)) } ?? .null,
            "rss": number(process.residentBytes),
            "state": .string(process.sample.stat.state),
            "threads": .number(Double(process.sample.stat.threads)),
        ]
        if let uid = process.sample.status?.uid { object["uid"] = .number(Double(uid)) }
        return .object(object)
    }
}
