#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the files and system calls a status snapshot needs, and hands the text to
/// ``KernelText``. Blocking (file reads, `statvfs`): call it from a thread pool, never an
/// event loop. Stateless, so any thread.
public struct SystemReader: Sendable {
    /// Prepended to `/proc/...` and `/etc/...` (tests point it at a fixture tree).
    public var root: String
    /// Largest file read; the rest is cut (a `/proc/mounts` in a busy container is big).
    public var maximumFileSize = 4 * 1_048_576

    public init(root: String = "") {
        self.root = root
    }

    /// One pass over the system. `previous` is only used to pick the processes whose
    /// `status` files are read (the top `topCount` by CPU and by RSS).
    public func sample(previous: StatusReadings?, topCount: Int) -> StatusReadings {
        let stat = text("/proc/stat").flatMap(KernelText.procStat)
        var readings = StatusReadings(
            uptime: text("/proc/uptime").flatMap(KernelText.uptime) ?? 0,
            cpu: stat?.total, cpuCount: stat?.cpuCount ?? 1,
            load: text("/proc/loadavg").flatMap(KernelText.loadAverage),
            memory: text("/proc/meminfo").map(KernelText.memInfo) ?? [:],
            disks: disks(), interfaces: text("/proc/net/dev").map(KernelText.netDev) ?? [],
            processes: processes(),
            clockTicksPerSecond: Double(max(1, sysconf(Int32(_SC_CLK_TCK)))), pageSize: UInt64(max(1, sysconf(Int32(_SC_PAGESIZE)))),
            operatingSystem: (text("/etc/os-release") ?? text("/usr/lib/os-release")).flatMap(KernelText.osPrettyName),
            kernel: Self.kernel()
        )
        let top = StatusMetrics.topProcesses(previous: previous, current: readings, count: topCount)
        let chosen = Set((top.byCPU + top.byRSS).map(\.sample.stat.pid))
        for index in readings.processes.indices where chosen.contains(readings.processes[index].stat.pid) {
            readings.processes[index].status = text("/proc/\(readings.processes[index].stat.pid)/status").map(KernelText.processStatus)
        }
        return readings
    }

    /// Every process's `stat` (processes that exit meanwhile are skipped).
    func processes() -> [ProcessSample] {
        pids().compactMap { pid in
            text("/proc/\(pid)/stat").flatMap(KernelText.processStat).map { ProcessSample(stat: $0) }
        }
    }

    /// The numeric entries of `/proc`.
    func pids() -> [Int] {
        guard let directory = opendir(root + "/proc") else { return [] }
        defer { closedir(directory) }
        var pids: [Int] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let pid = Int(name), pid > 0 { pids.append(pid) }
        }
        return pids
    }

    /// `statvfs` of each reportable mount; mounts it fails on (permissions, gone) are skipped.
    func disks() -> [DiskUsage] {
        let mounts = (text("/proc/self/mounts") ?? text("/proc/mounts")).map(KernelText.mounts) ?? []
        return FileSystemFilter.reportable(mounts).compactMap { mount in
            var info = statvfs()
            guard statvfs(mount.mountPoint, &info) == 0, info.f_blocks > 0 else { return nil }
            let unit = UInt64(info.f_frsize > 0 ? info.f_frsize : info.f_bsize)
            let total = UInt64(info.f_blocks) &* unit
            let free = UInt64(info.f_bfree) &* unit
            return DiskUsage(
                mount: mount, totalBytes: total, usedBytes: total - min(free, total), availableBytes: UInt64(info.f_bavail) &* unit,
                totalInodes: UInt64(info.f_files), freeInodes: UInt64(info.f_ffree)
            )
        }
    }

    /// `Linux 6.8.0-45-generic`, from `uname`.
    static func kernel() -> String? {
        var names = utsname()
        guard uname(&names) == 0 else { return nil }
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return field(names.sysname) + " " + field(names.release)
    }

    /// The file's text (invalid UTF-8 repaired), at most ``maximumFileSize`` bytes; `nil`
    /// when it cannot be opened or read.
    func text(_ path: String) -> String? {
        let descriptor = open(root + path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while bytes.count < maximumFileSize {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes.prefix(maximumFileSize), as: UTF8.self)
    }
}
