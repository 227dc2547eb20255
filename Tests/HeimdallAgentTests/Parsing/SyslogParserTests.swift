import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

let syslogSamples: [ParserSample] = [
    ParserSample("Nov 20 10:15:02 web-01 kernel: [12345.678901] Out of memory: Killed process 4321 (mysqld) total-vm:2048000kB, anon-rss:1024000kB, file-rss:0kB, UID:27 pgtables:4096kB oom_score_adj:0",
                 .crash, .high, ["action": s("oom_kill"), "process": s("mysqld"), "pid": n(4321), "host": s("web-01")], ts: "2026-11-20T10:15:02Z"),
    ParserSample("Nov 20 10:15:02 web-01 kernel: Memory cgroup out of memory: Killed process 777 (java) total-vm:9000kB",
                 .crash, .high, ["action": s("oom_kill"), "process": s("java"), "pid": n(777)]),
    ParserSample("Mar  3 01:02:03 old kernel: Out of memory: Kill process 1234 (apache2) score 900 or sacrifice child",
                 .crash, .high, ["action": s("oom_kill"), "process": s("apache2"), "pid": n(1234)], ts: "2026-03-03T01:02:03Z"),
    ParserSample("Nov 20 10:15:03 web-01 kernel: [12346.1] nginx[2211]: segfault at 0 ip 00007f3a1c2b4d5e sp 00007ffd5a1b2c30 error 4 in libc-2.31.so[7f3a1c200000+178000]",
                 .crash, .medium, ["action": s("segfault"), "process": s("nginx"), "pid": n(2211)]),
    ParserSample("Nov 20 10:15:03 web-01 kernel: traps: php-fpm[998] general protection fault ip:55d0 sp:7ffc error:0 in php-fpm[55d0+2000]",
                 .crash, .medium, ["action": s("trap"), "process": s("php-fpm"), "pid": n(998)]),
    ParserSample("Nov 20 10:15:04 web-01 kernel: Kernel panic - not syncing: Fatal exception in interrupt",
                 .crash, .critical, ["action": s("kernel_panic"), "reason": s("Fatal exception in interrupt")]),
    ParserSample("Nov 20 10:15:04 web-01 kernel: [  100.000000] BUG: unable to handle kernel NULL pointer dereference at 0000000000000008",
                 .crash, .high, ["action": s("kernel_oops")]),
    ParserSample("Nov 20 10:15:04 web-01 kernel: Oops: 0002 [#1] SMP PTI", .crash, .high, ["action": s("kernel_oops")]),
    ParserSample("Nov 20 10:15:04 web-01 kernel: BUG: soft lockup - CPU#2 stuck for 22s! [kworker/2:1:345]", .crash, .high, ["action": s("kernel_oops")]),
    ParserSample("Nov 20 10:15:05 web-01 kernel: mce: [Hardware Error]: Machine check events logged", .system, .high, ["action": s("hardware_error")]),
    ParserSample("Nov 20 10:15:05 web-01 kernel: mce: CPU0: Core temperature above threshold, cpu clock throttled (total events = 1)",
                 .system, .medium, ["action": s("hardware_error")]),
    ParserSample("Nov 20 10:15:05 web-01 kernel: EDAC MC0: 1 CE memory read error on CPU_SrcID#0_Ha#0_Chan#1_DIMM#0", .system, .medium, ["action": s("hardware_error")]),
    ParserSample("Nov 20 10:15:05 web-01 kernel: blk_update_request: I/O error, dev sda, sector 123456 op 0x0:(READ)", .system, .high, ["action": s("disk_error")]),
    ParserSample("Nov 20 10:14:00 web-01 kernel: [    0.000000] Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org) #1 SMP", .system, .low, ["action": s("boot")]),
    ParserSample("Nov 20 10:14:00 web-01 kernel: Booting Linux on physical CPU 0x0000000000 [0x410fd083]", .system, .low, ["action": s("boot")]),
    ParserSample("Nov 20 10:13:59 web-01 kernel: reboot: Restarting system", .system, .low, ["action": s("reboot")]),
    ParserSample("Nov 20 10:14:01 web-01 systemd-journald[250]: File /var/log/journal/abc/system.journal corrupted or uncleanly shut down, renaming and replacing.",
                 .system, .medium, ["action": s("unclean_shutdown")]),
    ParserSample("Nov 20 10:15:05 web-01 systemd[1]: nginx.service: Main process exited, code=exited, status=1/FAILURE", .service, .medium,
                 ["service": s("nginx.service"), "exit_code": s("exited"), "exit_status": s("1/FAILURE"), "outcome": s("failure")]),
    ParserSample("Nov 20 10:15:05 web-01 systemd[1]: app.service: Main process exited, code=dumped, status=11/SEGV", .crash, .high,
                 ["service": s("app.service"), "action": s("core_dump"), "exit_status": s("11/SEGV")]),
    ParserSample("Nov 20 10:15:05 web-01 systemd[1]: Failed to start nginx.service - A high performance web server and a reverse proxy server.",
                 .service, .medium, ["service": s("nginx.service"), "action": s("start_failed")]),
    ParserSample("Nov 20 10:15:05 web-01 systemd[1]: Failed to start The Apache HTTP Server.", .service, .medium, ["service": s("The Apache HTTP Server")]),
    ParserSample("Nov 20 10:15:06 web-01 systemd[1]: nginx.service: Start request repeated too quickly.", .service, .high,
                 ["service": s("nginx.service"), "action": s("restart_limit")]),
    ParserSample("Nov 20 10:15:06 web-01 systemd[1]: Unit nginx.service entered failed state.", .service, .medium, ["service": s("nginx.service"), "action": s("failed")]),
    ParserSample("Nov 20 10:15:06 web-01 systemd[1]: nginx.service: Failed with result 'exit-code'.", .service, .medium,
                 ["service": s("nginx.service"), "reason": s("exit-code")]),
    ParserSample("Nov 20 10:15:07 web-01 systemd[1]: nginx.service: Scheduled restart job, restart counter is at 5.", .service, .low, ["service": s("nginx.service")]),
    ParserSample("Nov 20 10:15:08 web-01 systemd-coredump[3003]: Process 2999 (redis-server) of user 999 dumped core.", .crash, .high,
                 ["process": s("redis-server"), "pid": n(2999), "action": s("core_dump")]),
    ParserSample("2026-11-20T10:15:02.123456+01:00 web-01 kernel: Out of memory: Killed process 42 (node) total-vm:1kB", .crash, .high,
                 ["process": s("node"), "pid": n(42)], ts: "2026-11-20T09:15:02.123456Z"),
    ParserSample("<30>1 2026-11-20T10:15:02.123Z web-01 systemd 1 - - Failed to start Nginx web server.", .service, .medium,
                 ["service": s("Nginx web server"), "process": s("systemd"), "pid": n(1)], ts: "2026-11-20T10:15:02.123Z"),
    ParserSample("Nov 20 10:15:09 web-01 systemd[1]: Started Session 42 of User alice.", .system, .info, ["process": s("systemd")]),
    ParserSample("Nov 20 10:15:09 web-01 CRON[5000]: (root) CMD (run-parts /etc/cron.hourly)", .system, .info, ["process": s("CRON"), "pid": n(5000)]),
    ParserSample("Nov 20 10:15:09 web-01 kernel: Killed process without a pid", .system, .info),
    ParserSample("Nov 20 10:15:09 web-01 kernel: x[abc]: segfault at 0", .system, .info),
    ParserSample("Nov 20 10:15:10 suse-01 sshd[77]: Failed password for root from 203.0.113.9 port 22 ssh2", .auth, .medium,
                 ["user": s("root"), "src_ip": s("203.0.113.9"), "outcome": s("failure")]),
    ParserSample("Nov 20 10:15:10 suse-01 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.5 DST=10.0.0.1 PROTO=UDP SPT=1 DPT=161", .firewall, .low,
                 ["dst_port": n(161)]),
    ParserSample("not a syslog line at all", .system, .info),
]

@Suite struct SyslogParserTests {
    let parser = SyslogParser(timeZone: ParserSample.utc)

    @Test(arguments: syslogSamples)
    func realWorldLine(_ sample: ParserSample) {
        sample.check(parser)
    }

    @Test func classicTimestampInHostZone() {
        let paris = SyslogParser(timeZone: TimeZone(identifier: "Europe/Paris") ?? .current)
        let parsed = paris.parse("Nov 20 10:15:04 web-01 kernel: Kernel panic - not syncing: x", readAt: ParserSample.readAt)
        #expect(parsed.timestamp == RFC3339.parse("2026-11-20T09:15:04Z"))
    }

    @Test func hostlessLineKeepsProgram() {
        let header = SyslogLine.parse("Nov 20 10:15:02 dnsmasq[12]: query[A] x from 1.2.3.4", now: ParserSample.readAt, timeZone: ParserSample.utc)
        #expect(header?.host == "" && header?.program == "dnsmasq" && header?.pid == 12 && header?.message == "query[A] x from 1.2.3.4")
        #expect(header?.baseFields["host"] == nil)
    }
}

@Suite struct RFC5424HeaderTests {
    @Test func structuredDataIsSkippedWithoutEatingTheMessage() {
        let line = #"<38>1 2026-11-20T10:15:02Z web-01 sshd 4242 ID47 [meta sequence="1" note="a \] b"][origin ip="10.0.0.1"] Failed password for root from 203.0.113.9 port 22 [preauth] x"#
        let header = SyslogLine.parse(line, now: ParserSample.readAt, timeZone: ParserSample.utc)
        #expect(header?.program == "sshd" && header?.pid == 4242 && header?.host == "web-01")
        #expect(header?.message == "Failed password for root from 203.0.113.9 port 22 [preauth] x")
    }

    @Test func unterminatedStructuredDataKeepsEverything() {
        let header = SyslogLine.parse("<38>1 2026-11-20T10:15:02Z h app - - [never closed", now: ParserSample.readAt, timeZone: ParserSample.utc)
        #expect(header?.message == "[never closed" && header?.pid == nil)
    }
}
