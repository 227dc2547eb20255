import Testing
@testable import HeimdallAgent

@Suite struct KernelTextTests {
    @Test func procStatAggregateLineAndCPUCount() throws {
        let text = """
        cpu  10132153 290696 3084719 46828483 16683 0 25195 0 175628 0
        cpu0 1393280 32966 572056 13343292 6130 0 17875 0 23933 0
        cpu1 1335281 33264 545616 13511237 5053 0 3720 0 23523 0
        intr 199292 35 0 0
        ctxt 240130473
        btime 1700000000
        procs_running 2

        """
        let stat = try #require(KernelText.procStat(text))
        #expect(stat.cpuCount == 2)
        #expect(stat.total == CPUTimes(
            user: 10_132_153, nice: 290_696, system: 3_084_719, idle: 46_828_483, iowait: 16683, irq: 0, softirq: 25195, steal: 0
        ))
    }

    @Test func procStatOldKernelAndGarbage() {
        #expect(KernelText.procStat("cpu  1 2 3 4\n")?.total == CPUTimes(user: 1, nice: 2, system: 3, idle: 4))
        #expect(KernelText.procStat("cpu  1 2 x 4 5\n") == nil)
        #expect(KernelText.procStat("cpu  1 2\n") == nil)
        #expect(KernelText.procStat("") == nil)
        #expect(KernelText.procStat("\u{0}\u{1}binary") == nil)
    }

    @Test func loadAverageAndUptime() {
        #expect(KernelText.loadAverage("0.41 0.30 0.20 1/234 5678\n") == [0.41, 0.30, 0.20])
        #expect(KernelText.loadAverage("0.41 x") == nil)
        #expect(KernelText.uptime("350735.47 234388.90\n") == 350_735.47)
        #expect(KernelText.uptime("") == nil)
    }

    @Test func memInfoInBytes() {
        let text = """
        MemTotal:       16318504 kB
        MemFree:          861548 kB
        MemAvailable:    9843380 kB
        Buffers:          523408 kB
        SwapTotal:       2097148 kB
        SwapFree:        2000000 kB
        HugePages_Total:       0
        Broken line
        Bad:            notanumber kB

        """
        let info = KernelText.memInfo(text)
        #expect(info["MemTotal"] == 16_318_504 * 1024)
        #expect(info["MemAvailable"] == 9_843_380 * 1024)
        #expect(info["SwapFree"] == 2_000_000 * 1024)
        #expect(info["HugePages_Total"] == 0)
        #expect(info["Bad"] == nil)
        #expect(info.count == 7)
    }

    @Test func osRelease() {
        let debian = """
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        """
        #expect(KernelText.osPrettyName(debian) == "Debian GNU/Linux 12 (bookworm)")
        #expect(KernelText.osPrettyName("# comment\nNAME=Alpine\nVERSION='3.20 \\\"x\\\"'\n") == "Alpine 3.20 \"x\"")
        #expect(KernelText.osPrettyName("ID=arch\n") == nil)
    }

    @Test func netDevCountersAndOldFormat() {
        let text = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo: 123456     100    0    0    0     0          0         0   123456     100    0    0    0     0       0          0
          eth0: 987654321 654321  1    2    0     0          0        12 123456789  54321    3    4    0     0       0          0
        wlan0:5 6 7 8 0 0 0 0 9 10 11 12 0 0 0 0
          bad0: 1 2 3
        """
        let interfaces = KernelText.netDev(text)
        #expect(interfaces.map(\.name) == ["lo", "eth0", "wlan0"])
        #expect(interfaces[1] == InterfaceCounters(
            name: "eth0", receivedBytes: 987_654_321, receivedPackets: 654_321, receiveErrors: 1, receiveDrops: 2,
            transmittedBytes: 123_456_789, transmittedPackets: 54321, transmitErrors: 3, transmitDrops: 4
        ))
        #expect(interfaces[2].receivedBytes == 5 && interfaces[2].transmittedBytes == 9)
    }

    @Test func mountsWithEscapes() {
        let text = """
        /dev/sda1 / ext4 rw,relatime 0 0
        proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
        /dev/sdb1 /mnt/My\\040Disk vfat rw 0 0
        /dev/sdc1 /odd\\134path\\07 xfs rw 0 0
        short line
        """
        let mounts = KernelText.mounts(text)
        #expect(mounts.count == 4)
        #expect(mounts[0] == MountEntry(source: "/dev/sda1", mountPoint: "/", fileSystemType: "ext4"))
        #expect(mounts[2].mountPoint == "/mnt/My Disk")
        #expect(mounts[3].mountPoint == "/odd\\path\\07")
    }

    @Test func processStatWithSpacesAndParentheses() throws {
        let text = "4242 ((tmux: server)) S 1 4242 4242 0 -1 4194560 1509 0 0 0 250 75 0 0 20 0 3 0 123456 12345678 2048 18446744073709551615 1 1 0 0 0 0 0 4096 134234626 0 0 0 17 1 0 0 0 0 0\n"
        let stat = try #require(KernelText.processStat(text))
        #expect(stat == ProcessStat(pid: 4242, name: "(tmux: server)", state: "S", cpuTicks: 325, startTicks: 123_456, residentPages: 2048, threads: 3))
        let odd = try #require(KernelText.processStat("7 (a) b) c) R 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 99 0 5"))
        #expect(odd.name == "a) b) c" && odd.state == "R" && odd.cpuTicks == 3 && odd.residentPages == 5)
    }

    @Test func processStatMalformed() {
        #expect(KernelText.processStat("") == nil)
        #expect(KernelText.processStat("12 (x) S 1 2") == nil)
        #expect(KernelText.processStat("x (y) S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 99 0 5") == nil)
        #expect(KernelText.processStat("12 )x( S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 99 0 5") == nil)
    }

    @Test func processStatus() {
        let text = """
        Name:\tweird\\nname
        Umask:\t0022
        State:\tS (sleeping)
        Uid:\t1000\t1000\t1000\t1000
        VmRSS:\t   10240 kB
        Threads:\t4
        """
        let status = KernelText.processStatus(text)
        #expect(status.name == "weird\nname")
        #expect(status.uid == 1000)
        #expect(status.residentBytes == 10_485_760)
        #expect(KernelText.processStatus("Name:\tkthreadd\nUid:\t0\t0\t0\t0\n").residentBytes == nil)
    }
}
