import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

let packageSamples: [ParserSample] = [
    ParserSample("2026-11-20 10:15:02 install nginx:amd64 <none> 1.24.0-1", .software, .info,
                 ["action": s("install"), "package": s("nginx"), "arch": s("amd64"), "version": s("1.24.0-1")], ts: "2026-11-20T10:15:02Z",
                 absent: ["previous_version"]),
    ParserSample("2026-11-20 10:15:03 upgrade openssl:amd64 3.0.11-1~deb12u1 3.0.13-1~deb12u1", .software, .info,
                 ["action": s("upgrade"), "package": s("openssl"), "version": s("3.0.13-1~deb12u1"), "previous_version": s("3.0.11-1~deb12u1")]),
    ParserSample("2026-11-20 10:15:04 remove telnet:amd64 0.17+2.4-2 <none>", .software, .info,
                 ["action": s("remove"), "package": s("telnet"), "version": s("0.17+2.4-2")]),
    ParserSample("2026-11-20 10:15:05 purge libfoo1:i386 1.0-1 <none>", .software, .info, ["action": s("purge"), "arch": s("i386")]),
    ParserSample("2026-11-20 10:15:06 status installed nginx:amd64 1.24.0-1", .software, .info,
                 ["action": s("status"), "state": s("installed"), "package": s("nginx")]),
    ParserSample("2026-11-20 10:15:07 startup archives unpack", .software, .info, ["action": s("startup")]),
    ParserSample("2026-11-20 10:15:08 install", .other, .info),
    ParserSample("Start-Date: 2026-11-20  10:15:00", .software, .info, ["action": s("transaction_start")], ts: "2026-11-20T10:15:00Z"),
    ParserSample("Commandline: apt-get install -y nginx", .software, .info, ["action": s("command"), "command": s("apt-get install -y nginx")]),
    ParserSample("Requested-By: alice (1000)", .software, .info, ["user": s("alice")]),
    ParserSample("Install: nginx:amd64 (1.24.0-1), nginx-common:amd64 (1.24.0-1, automatic)", .software, .info,
                 ["action": s("install"), "package": s("nginx"), "version": s("1.24.0-1"), "count": n(2)]),
    ParserSample("Upgrade: openssl:amd64 (3.0.11-1, 3.0.13-1), libssl3:amd64 (3.0.11-1, 3.0.13-1)", .software, .info,
                 ["action": s("upgrade"), "package": s("openssl"), "version": s("3.0.13-1"), "previous_version": s("3.0.11-1")]),
    ParserSample("Remove: telnet:amd64 (0.17+2.4-2)", .software, .info, ["action": s("remove"), "package": s("telnet")]),
    ParserSample("Error: Sub-process /usr/bin/dpkg returned an error code (1)", .software, .medium, ["outcome": s("failure")]),
    ParserSample("End-Date: 2026-11-20  10:15:09", .software, .info, ["action": s("transaction_end")]),
    ParserSample("Nov 20 10:16:00 Installed: nginx-1.20.1-1.el7.ngx.x86_64", .software, .info,
                 ["action": s("install"), "package": s("nginx"), "version": s("1.20.1-1.el7.ngx"), "arch": s("x86_64")], ts: "2026-11-20T10:16:00Z"),
    ParserSample("Nov 20 10:16:01 Updated: 1:openssl-libs-1.0.2k-26.el7_9.x86_64", .software, .info,
                 ["action": s("upgrade"), "package": s("openssl-libs"), "version": s("1.0.2k-26.el7_9")]),
    ParserSample("Nov 20 10:16:02 Erased: telnet", .software, .info, ["action": s("remove"), "package": s("telnet")], absent: ["version"]),
    ParserSample("2026-11-20T10:17:00+0000 SUBDEBUG Installed: nginx-1:1.20.1-14.el9_2.1.x86_64", .software, .info,
                 ["action": s("install"), "package": s("nginx"), "version": s("1.20.1-14.el9_2.1"), "arch": s("x86_64")], ts: "2026-11-20T10:17:00Z"),
    ParserSample("2026-11-20T10:17:01+0100 SUBDEBUG Upgraded: kernel-core-5.14.0-362.8.1.el9_3.x86_64", .software, .info,
                 ["action": s("upgrade"), "package": s("kernel-core"), "previous_version": s("5.14.0-362.8.1.el9_3")], ts: "2026-11-20T09:17:01Z"),
    ParserSample("2026-11-20T10:17:02+0000 DDEBUG Command: dnf install -y nginx", .software, .info, ["command": s("dnf install -y nginx")]),
    ParserSample("2026-11-20T10:17:03+0000 DEBUG Loaded plugins: builddep, changelog", .other, .info),
    ParserSample("[2026-11-20T10:18:00+0100] [ALPM] installed nginx (1.24.0-1)", .software, .info,
                 ["action": s("install"), "package": s("nginx"), "version": s("1.24.0-1")], ts: "2026-11-20T09:18:00Z"),
    ParserSample("[2026-11-20T10:18:01+0100] [ALPM] upgraded linux (6.6.1.arch1-1 -> 6.6.2.arch1-1)", .software, .info,
                 ["action": s("upgrade"), "package": s("linux"), "version": s("6.6.2.arch1-1"), "previous_version": s("6.6.1.arch1-1")]),
    ParserSample("[2026-11-20T10:18:02+0100] [ALPM] removed vim (9.0.2100-1)", .software, .info, ["action": s("remove"), "package": s("vim")]),
    ParserSample("[2026-11-20T10:18:03+0100] [PACMAN] Running 'pacman -Syu'", .software, .info, ["command": s("pacman -Syu")]),
    ParserSample("[2026-11-20 10:18] [ALPM] installed old-format (1.0-1)", .software, .info, ["package": s("old-format")], ts: "2026-11-20T10:18:00Z"),
    ParserSample("[2026-11-20T10:18:04+0100] [ALPM] transaction started", .other, .info),
    ParserSample("", .other, .info),
]

@Suite struct PackageLogParserTests {
    let parser = PackageLogParser(timeZone: ParserSample.utc)

    @Test(arguments: packageSamples)
    func realWorldLine(_ sample: ParserSample) {
        sample.check(parser)
    }
}
