import HeimdallProtocol
import Testing
@testable import HeimdallAgent

@Suite struct StatusMetricsTests {
    @Test func cpuPercentFromTwoReadings() throws {
        let earlier = CPUTimes(user: 1000, nice: 0, system: 500, idle: 8000, iowait: 100, irq: 0, softirq: 0, steal: 0)
        // 1000 ticks pass: 150 user + 50 nice, 100 system + 20 irq + 30 softirq, 600 idle, 50 iowait.
        let later = CPUTimes(user: 1150, nice: 50, system: 600, idle: 8600, iowait: 150, irq: 20, softirq: 30, steal: 0)
        let usage = try #require(CPUUsage(from: earlier, to: later))
        #expect(usage.user == 20)
        #expect(usage.system == 15)
        #expect(usage.idle == 60)
        #expect(usage.iowait == 5)
        #expect(usage.busy == 35)
    }

    @Test func cpuPercentWithoutProgressOrBackwards() {
        let times = CPUTimes(user: 10, system: 10, idle: 10)
        #expect(CPUUsage(from: times, to: times) == nil)
        #expect(CPUUsage(from: CPUTimes(user: 11, system: 10, idle: 10), to: times) == nil)
    }

    @Test func rates() {
        #expect(StatusMetrics.rate(from: 1000, to: 7000, elapsed: 60) == 100)
        #expect(StatusMetrics.rate(from: 7000, to: 1000, elapsed: 60) == nil)
        #expect(StatusMetrics.rate(from: 1, to: 2, elapsed: 0) == nil)
    }

    @Test func networkRatesSkipLoopbackAndNewInterfaces() {
        let before = [InterfaceCounters(name: "eth0", receivedBytes: 1000, transmittedBytes: 500), InterfaceCounters(name: "lo", receivedBytes: 1, transmittedBytes: 1)]
        let after = [
            InterfaceCounters(name: "eth0", receivedBytes: 3000, transmittedBytes: 400),
            InterfaceCounters(name: "lo", receivedBytes: 9, transmittedBytes: 9),
            InterfaceCounters(name: "wg0", receivedBytes: 5, transmittedBytes: 5),
        ]
        let objects = StatusMetrics.networkObjects(previous: before, current: after, elapsed: 10)
        #expect(objects.count == 2)
        #expect(objects[0]["iface"] == .string("eth0"))
        #expect(objects[0]["rx_rate"] == .number(200))
        #expect(objects[0]["tx_rate"] == .null, "a counter that went backwards has no rate")
        #expect(objects[0]["rx_bytes"] == .number(3000))
        #expect(objects[1]["iface"] == .string("wg0") && objects[1]["rx_rate"] == .null)
    }

    @Test func processCPUOverTheInterval() {
        func process(_ pid: Int, ticks: UInt64, start: UInt64, pages: UInt64 = 1) -> ProcessSample {
            ProcessSample(stat: ProcessStat(pid: pid, name: "p\(pid)", state: "S", cpuTicks: ticks, startTicks: start, residentPages: pages, threads: 1))
        }
        let previous = StatusReadings(uptime: 1000, processes: [process(1, ticks: 500, start: 0), process(2, ticks: 100, start: 50), process(3, ticks: 0, start: 60)])
        let current = StatusReadings(uptime: 1010, processes: [
            process(1, ticks: 600, start: 0, pages: 10),  // 100 ticks = 1 s of 10 s: 10 %
            process(2, ticks: 2100, start: 50, pages: 30),  // 20 s of CPU in 10 s: 200 % (two cores)
            process(3, ticks: 10, start: 100_200, pages: 20),  // pid reused: new process started after the last reading
            process(4, ticks: 5, start: 100_500, pages: 0),  // started after the last reading
            process(5, ticks: 5, start: 10),  // existed before but was not seen: unknown
        ])
        let top = StatusMetrics.topProcesses(previous: previous, current: current, count: 3)
        #expect(top.byCPU.map(\.sample.stat.pid) == [2, 1, 3])
        #expect(top.byCPU.map { $0.cpuPercent.map(StatusMetrics.round2) } == [200, 10, 1])
        #expect(top.byRSS.map(\.sample.stat.pid) == [2, 3, 1])
        #expect(top.byRSS.map(\.residentBytes) == [122_880, 81_920, 40_960] as [UInt64])
        let first = StatusMetrics.topProcesses(previous: nil, current: current, count: 3)
        #expect(first.byCPU.isEmpty && first.byRSS.count == 3)
    }

    @Test func fileSystemFiltering() {
        let mounts = KernelText.mounts("""
        sysfs /sys sysfs rw 0 0
        proc /proc proc rw 0 0
        udev /dev devtmpfs rw 0 0
        tmpfs /run tmpfs rw 0 0
        /dev/nvme0n1p2 / ext4 rw 0 0
        overlay /var/lib/docker/overlay2/x/merged overlay rw 0 0
        /dev/loop3 /snap/core/1 squashfs ro 0 0
        cgroup2 /sys/fs/cgroup cgroup2 rw 0 0
        /dev/nvme0n1p1 /boot/efi vfat rw 0 0
        /dev/nvme0n1p2 /var/lib/docker ext4 rw 0 0
        server:/export /mnt/nfs nfs4 rw 0 0
        tank/home /home zfs rw 0 0
        """)
        let reported = FileSystemFilter.reportable(mounts)
        #expect(reported.map(\.mountPoint) == ["/", "/boot/efi", "/home", "/mnt/nfs"])
        #expect(FileSystemFilter.isReal("xfs") && FileSystemFilter.isReal("btrfs"))
        #expect(!FileSystemFilter.isReal("tmpfs") && !FileSystemFilter.isReal("overlay") && !FileSystemFilter.isReal("proc"))
    }

    @Test func snapshotShape() throws {
        let memory: [String: UInt64] = ["MemTotal": 8000, "MemFree": 1000, "MemAvailable": 3000, "SwapTotal": 2000, "SwapFree": 1500]
        let disk = DiskUsage(
            mount: MountEntry(source: "/dev/sda1", mountPoint: "/", fileSystemType: "ext4"),
            totalBytes: 100, usedBytes: 40, availableBytes: 55, totalInodes: 10, freeInodes: 4
        )
        let previous = StatusReadings(uptime: 100, cpu: CPUTimes(user: 0, system: 0, idle: 0), interfaces: [InterfaceCounters(name: "eth0", receivedBytes: 0, transmittedBytes: 0)])
        let current = StatusReadings(
            uptime: 160.7, cpu: CPUTimes(user: 25, system: 0, idle: 75), cpuCount: 4, load: [0.4, 0.3, 0.2], memory: memory,
            disks: [disk], interfaces: [InterfaceCounters(name: "eth0", receivedBytes: 6070, transmittedBytes: 607)],
            operatingSystem: "Debian GNU/Linux 12 (bookworm)", kernel: "Linux 6.1.0"
        )
        let metrics = StatusMetrics.snapshot(previous: previous, current: current, agentVersion: "0.1.0")
        #expect(metrics["cpu_percent"] == .number(25))
        #expect(metrics["cpu"]?["cores"] == .number(4) && metrics["cpu"]?["user"] == .number(25))
        #expect(metrics["load"] == .array([.number(0.4), .number(0.3), .number(0.2)]))
        #expect(metrics["memory"] == .object(["total": .number(8000), "used": .number(5000), "available": .number(3000), "free": .number(1000)]))
        #expect(metrics["swap"] == .object(["total": .number(2000), "used": .number(500), "free": .number(1500)]))
        let disks = try #require(metrics["disks"]?.arrayValue)
        #expect(disks.first?["mount"] == .string("/") && disks.first?["used"] == .number(40) && disks.first?["inodes_used"] == .number(6))
        #expect(metrics["network"]?.arrayValue?.first?["rx_rate"] == .number(100))
        #expect(metrics["uptime_s"] == .number(160))
        #expect(metrics["interval_s"] == .number(60.7))
        #expect(metrics["os"] == .string("Debian GNU/Linux 12 (bookworm)"))
        #expect(metrics["kernel"] == .string("Linux 6.1.0"))
        #expect(metrics["agent_version"] == .string("0.1.0"))
        #expect(metrics["processes"] == .array([]) && metrics["top_cpu"] == .array([]) && metrics["top_rss"] == .array([]))
    }

    @Test func firstSnapshotHasNoRates() {
        let metrics = StatusMetrics.snapshot(previous: nil, current: StatusReadings(uptime: 5, cpu: CPUTimes(user: 1, system: 1, idle: 1)), agentVersion: "x")
        #expect(metrics["cpu_percent"] == .null)
        #expect(metrics["interval_s"] == nil)
        #expect(metrics["memory"] == .null)
    }
}
