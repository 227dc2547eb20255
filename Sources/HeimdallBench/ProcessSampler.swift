import Foundation

/// CPU time and memory of a process, read from `/proc/<pid>` (Linux). Blocking file reads.
public struct ProcessSample: Sendable, Hashable {
    /// User + system CPU time so far, in seconds.
    public var cpuSeconds: Double
    /// The system (kernel) part of ``cpuSeconds``.
    public var systemCPUSeconds: Double
    /// Resident set size now, in bytes.
    public var residentBytes: UInt64
    /// Peak resident set size (VmHWM), in bytes.
    public var peakResidentBytes: UInt64
    /// When the sample was taken.
    public var at: ContinuousClock.Instant

    /// Reads `/proc/<pid>/stat` and `/proc/<pid>/status`; `nil` when the process is gone.
    public static func read(pid: Int32) -> ProcessSample? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let cpu = cpuTimes(statLine: stat)
        else { return nil }
        return ProcessSample(
            cpuSeconds: cpu.user + cpu.system, systemCPUSeconds: cpu.system, residentBytes: kilobytes("VmRSS:", in: status) * 1024,
            peakResidentBytes: kilobytes("VmHWM:", in: status) * 1024, at: .now
        )
    }

    /// utime and stime in seconds from a `/proc/<pid>/stat` line (fields 14 and 15, counted
    /// after the command name, which may itself hold spaces and parentheses).
    static func cpuTimes(statLine: String) -> (user: Double, system: Double)? {
        guard let close = statLine.lastIndex(of: ")") else { return nil }
        let fields = statLine[statLine.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (user / ticks, system / ticks)
    }

    static func kilobytes(_ key: String, in status: String) -> UInt64 {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return 0 }
        return line.split(separator: " ").dropFirst().first.flatMap { UInt64($0) } ?? 0
    }

    /// CPU use between two samples, as a percentage of one core.
    public static func cpuPercent(from start: ProcessSample, to end: ProcessSample) -> Double {
        percentOfCore(end.cpuSeconds - start.cpuSeconds, from: start, to: end)
    }

    /// The system (kernel) part of ``cpuPercent(from:to:)``.
    public static func systemCPUPercent(from start: ProcessSample, to end: ProcessSample) -> Double {
        percentOfCore(end.systemCPUSeconds - start.systemCPUSeconds, from: start, to: end)
    }

    private static func percentOfCore(_ cpuSeconds: Double, from start: ProcessSample, to end: ProcessSample) -> Double {
        let wall = Double((end.at - start.at).components.attoseconds) / 1e18 + Double((end.at - start.at).components.seconds)
        guard wall > 0 else { return 0 }
        return cpuSeconds / wall * 100
    }
}
