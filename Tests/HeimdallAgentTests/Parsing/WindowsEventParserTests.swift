import Foundation
import HeimdallProtocol
import Testing
@testable import HeimdallAgent

/// A one-line rendered event as `wevtutil qe /f:xml` writes it.
func windowsEvent(_ id: Int, provider: String = "Microsoft-Windows-Security-Auditing", channel: String = "Security", level: Int = 0,
                  data: [(String, String)] = [], unnamed: [String] = [], userData: String? = nil) -> String {
    let named = data.map { "<Data Name='\($0.0)'>\($0.1)</Data>" }.joined()
    let plain = unnamed.map { "<Data>\($0)</Data>" }.joined()
    let body = userData.map { "<UserData>\($0)</UserData>" } ?? "<EventData>\(named)\(plain)</EventData>"
    return "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='\(provider)' Guid='{54849625-5478-4994-a5ba-3e3b0328c30d}'/>"
        + "<EventID>\(id)</EventID><Version>2</Version><Level>\(level)</Level><Task>12544</Task><Opcode>0</Opcode><Keywords>0x8020000000000000</Keywords>"
        + "<TimeCreated SystemTime='2026-11-20T10:15:02.1234567Z'/><EventRecordID>98765</EventRecordID><Correlation/>"
        + "<Execution ProcessID='660' ThreadID='720'/><Channel>\(channel)</Channel><Computer>DC01.corp.example</Computer><Security/></System>\(body)</Event>"
}

let logon4624 = #"<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Security-Auditing" Guid="{54849625-5478-4994-A5BA-3E3B0328C30D}" /><EventID>4624</EventID><Version>2</Version><Level>0</Level><Task>12544</Task><Opcode>0</Opcode><Keywords>0x8020000000000000</Keywords><TimeCreated SystemTime="2026-11-20T10:15:02.1234567Z" /><EventRecordID>123456</EventRecordID><Correlation ActivityID="{00000000-0000-0000-0000-000000000000}" /><Execution ProcessID="660" ThreadID="720" /><Channel>Security</Channel><Computer>WS01.corp.example</Computer><Security /></System><EventData><Data Name="SubjectUserSid">S-1-5-18</Data><Data Name="SubjectUserName">WS01$</Data><Data Name="SubjectDomainName">CORP</Data><Data Name="TargetUserSid">S-1-5-21-1-2-3-1104</Data><Data Name="TargetUserName">alice</Data><Data Name="TargetDomainName">CORP</Data><Data Name="TargetLogonId">0x3e7a2b</Data><Data Name="LogonType">10</Data><Data Name="LogonProcessName">User32 </Data><Data Name="AuthenticationPackageName">Negotiate</Data><Data Name="WorkstationName">WS01</Data><Data Name="ProcessName">C:\Windows\System32\svchost.exe</Data><Data Name="IpAddress">203.0.113.50</Data><Data Name="IpPort">0</Data></EventData></Event>"#

let windowsSamples: [ParserSample] = [
    ParserSample(logon4624, .auth, .info, ["event_id": n(4624), "user": s("alice"), "domain": s("CORP"), "logon_type": n(10), "src_ip": s("203.0.113.50"),
                                           "outcome": s("success"), "host": s("WS01.corp.example"), "process": s(#"C:\Windows\System32\svchost.exe"#)],
                 ts: "2026-11-20T10:15:02.1234567Z", absent: ["src_port"]),
    ParserSample(windowsEvent(4625, data: [("TargetUserName", "administrator"), ("TargetDomainName", "CORP"), ("Status", "0xc000006d"), ("SubStatus", "0xc000006a"),
                                           ("LogonType", "3"), ("IpAddress", "2001:db8::bad"), ("IpPort", "51515"), ("FailureReason", "%%2313")]),
                 .auth, .medium, ["user": s("administrator"), "logon_type": n(3), "src_ip": s("2001:db8::bad"), "src_port": n(51515), "outcome": s("failure"),
                                  "failure_sub_status": s("0xc000006a")]),
    ParserSample(windowsEvent(4625, data: [("TargetUserName", "guest"), ("LogonType", "2"), ("IpAddress", "-"), ("IpPort", "-")]), .auth, .medium,
                 ["user": s("guest")], absent: ["src_ip", "src_port"]),
    ParserSample(windowsEvent(4634, data: [("TargetUserName", "alice"), ("TargetDomainName", "CORP"), ("LogonType", "3")]), .auth, .info,
                 ["action": s("logoff"), "user": s("alice")]),
    ParserSample(windowsEvent(4647, data: [("TargetUserName", "bob")]), .auth, .info, ["action": s("logoff"), "user": s("bob")]),
    ParserSample(windowsEvent(4648, data: [("SubjectUserName", "alice"), ("TargetUserName", "admin"), ("TargetServerName", "srv02"), ("IpAddress", "10.0.0.5"),
                                           ("ProcessName", #"C:\Windows\System32\runas.exe"#)]),
                 .auth, .low, ["user": s("alice"), "target_user": s("admin"), "target_server": s("srv02"), "src_ip": s("10.0.0.5")]),
    ParserSample(windowsEvent(4672, data: [("SubjectUserName", "alice"), ("PrivilegeList", "SeDebugPrivilege\n\t\t\tSeBackupPrivilege")]), .privilege, .low,
                 ["user": s("alice"), "action": s("special_privileges")]),
    ParserSample(windowsEvent(4688, data: [("SubjectUserName", "alice"), ("NewProcessId", "0x1a2c"), ("NewProcessName", #"C:\Windows\System32\cmd.exe"#),
                                           ("CommandLine", "cmd.exe /c whoami &amp; net user"), ("ParentProcessName", #"C:\Windows\explorer.exe"#)]),
                 .system, .info, ["process": s(#"C:\Windows\System32\cmd.exe"#), "pid": n(0x1a2c), "command": s("cmd.exe /c whoami & net user"), "user": s("alice")]),
    ParserSample(windowsEvent(4720, data: [("TargetUserName", "backdoor"), ("TargetDomainName", "WS01"), ("SubjectUserName", "alice")]), .privilege, .medium,
                 ["action": s("user_created"), "target_user": s("backdoor"), "user": s("alice")]),
    ParserSample(windowsEvent(4722, data: [("TargetUserName", "backdoor"), ("SubjectUserName", "alice")]), .privilege, .low, ["action": s("user_enabled")]),
    ParserSample(windowsEvent(4723, data: [("TargetUserName", "bob"), ("SubjectUserName", "bob")]), .privilege, .low, ["action": s("password_change")]),
    ParserSample(windowsEvent(4724, data: [("TargetUserName", "bob"), ("SubjectUserName", "helpdesk")]), .privilege, .medium,
                 ["action": s("password_reset"), "target_user": s("bob"), "user": s("helpdesk")]),
    ParserSample(windowsEvent(4725, data: [("TargetUserName", "bob")]), .privilege, .low, ["action": s("user_disabled")]),
    ParserSample(windowsEvent(4726, data: [("TargetUserName", "bob"), ("SubjectUserName", "alice")]), .privilege, .medium, ["action": s("user_deleted")]),
    ParserSample(windowsEvent(4738, data: [("TargetUserName", "bob")]), .privilege, .low, ["action": s("user_changed")]),
    ParserSample(windowsEvent(4740, data: [("TargetUserName", "bob"), ("TargetDomainName", "WS07"), ("SubjectUserName", "DC01$")]), .auth, .high,
                 ["action": s("account_locked"), "target_user": s("bob"), "src_host": s("WS07"), "outcome": s("failure")]),
    ParserSample(windowsEvent(4767, data: [("TargetUserName", "bob")]), .privilege, .low, ["action": s("user_unlocked")]),
    ParserSample(windowsEvent(4732, data: [("MemberName", "-"), ("MemberSid", "S-1-5-21-1-2-3-1105"), ("TargetUserName", "Administrators"),
                                           ("SubjectUserName", "alice")]),
                 .privilege, .high, ["action": s("group_member_added"), "group": s("Administrators"), "target_sid": s("S-1-5-21-1-2-3-1105")], absent: ["target_user"]),
    ParserSample(windowsEvent(4728, data: [("MemberName", "CN=Bob Smith,OU=Users,DC=corp,DC=example"), ("TargetUserName", "Domain Admins")]), .privilege, .high,
                 ["target_user": s("Bob Smith"), "group": s("Domain Admins")]),
    ParserSample(windowsEvent(4756, data: [("MemberName", "CN=carol,DC=corp"), ("TargetUserName", "Print Operators Universal")]), .privilege, .medium,
                 ["target_user": s("carol")]),
    ParserSample(windowsEvent(4729, data: [("MemberName", "CN=carol,DC=corp"), ("TargetUserName", "Domain Admins")]), .privilege, .low,
                 ["action": s("group_member_removed")]),
    ParserSample(windowsEvent(4733, data: [("TargetUserName", "Administrators")]), .privilege, .low, ["action": s("group_member_removed")]),
    ParserSample(windowsEvent(4757, data: [("TargetUserName", "U")]), .privilege, .low, ["action": s("group_member_removed")]),
    ParserSample(windowsEvent(4778, data: [("AccountName", "alice"), ("AccountDomain", "CORP"), ("ClientName", "LAPTOP7"), ("ClientAddress", "198.51.100.23")]),
                 .remoteAccess, .info, ["action": s("session_reconnected"), "user": s("alice"), "src_ip": s("198.51.100.23")]),
    ParserSample(windowsEvent(4779, data: [("AccountName", "alice"), ("ClientAddress", "198.51.100.23")]), .remoteAccess, .info, ["action": s("session_disconnected")]),
    ParserSample(windowsEvent(1102, provider: "Microsoft-Windows-Eventlog",
                              userData: "<LogFileCleared xmlns='http://manifests.microsoft.com/win/2004/08/windows/eventlog'><SubjectUserSid>S-1-5-21-1</SubjectUserSid><SubjectUserName>mallory</SubjectUserName><SubjectDomainName>CORP</SubjectDomainName></LogFileCleared>"),
                 .system, .high, ["action": s("log_cleared"), "user": s("mallory")]),
    ParserSample(windowsEvent(4776, data: [("TargetUserName", "bob"), ("Workstation", "WS9"), ("Status", "0xc000006a")]), .auth, .medium, ["outcome": s("failure")]),
    ParserSample(windowsEvent(4999, level: 0), .system, .info, ["event_id": n(4999)]),
    ParserSample("<Event><System><Provider Name='x'/><EventID>4625</EventID><EventData><Data Name='TargetUserName'>unterminated</Data>", .other, .info),
    ParserSample("<Event><System><EventID>not-a-number</EventID></System></Event>", .other, .info),
    ParserSample("<NotAnEvent/>", .other, .info),
    ParserSample("<Event><System><EventID>4624</EventID></System><EventData><Data Name=TargetUserName>x</Data></EventData></Event>", .other, .info),
    ParserSample("<?xml version='1.0'?><!-- exported --><Event><System><EventID>4624</EventID></System><EventData><Data Name='TargetUserName'><![CDATA[a<b]]></Data></EventData></Event>",
                 .auth, .info, ["user": s("a<b")]),
]

let windowsSystemSamples: [ParserSample] = [
    ParserSample(windowsEvent(1074, provider: "User32", channel: "System", unnamed: [],
                              userData: nil).replacingOccurrences(of: "<EventData></EventData>", with:
                              "<EventData><Data Name='param1'>C:\\Windows\\system32\\shutdown.exe (WS01)</Data><Data Name='param2'>WS01</Data><Data Name='param3'>Other (Unplanned)</Data><Data Name='param4'>0x0</Data><Data Name='param5'>restart</Data><Data Name='param6'></Data><Data Name='param7'>CORP\\alice</Data></EventData>"),
                 .system, .low, ["action": s("shutdown_initiated"), "shutdown_type": s("restart"), "user": s(#"CORP\alice"#)], absent: ["comment"]),
    ParserSample(windowsEvent(6005, provider: "EventLog", channel: "System"), .system, .info, ["action": s("boot")]),
    ParserSample(windowsEvent(6006, provider: "EventLog", channel: "System"), .system, .info, ["action": s("shutdown")]),
    ParserSample(windowsEvent(6008, provider: "EventLog", channel: "System", unnamed: ["10:01:02", "11/20/2026"]), .crash, .high, ["action": s("unexpected_shutdown")]),
    ParserSample(windowsEvent(41, provider: "Microsoft-Windows-Kernel-Power", channel: "System", level: 1, data: [("BugcheckCode", "159"), ("PowerButtonTimestamp", "0")]),
                 .crash, .high, ["action": s("unexpected_reboot"), "reason": s("159")]),
    ParserSample(windowsEvent(1001, provider: "Microsoft-Windows-WER-SystemErrorReporting", channel: "System", level: 2,
                              data: [("param1", "0x0000009f (0x0000000000000003, 0xffffc30d1e5a9060)"), ("param2", "C:\\Windows\\MEMORY.DMP")]),
                 .crash, .critical, ["action": s("bugcheck")]),
    ParserSample(windowsEvent(7000, provider: "Service Control Manager", channel: "System", level: 2, data: [("param1", "Spooler"), ("param2", "%%1053")]),
                 .service, .medium, ["service": s("Spooler"), "outcome": s("failure")]),
    ParserSample(windowsEvent(7031, provider: "Service Control Manager", channel: "System", level: 2,
                              data: [("param1", "Windows Update"), ("param2", "1"), ("param3", "120000")]),
                 .service, .high, ["service": s("Windows Update"), "action": s("terminated_unexpectedly")]),
    ParserSample(windowsEvent(7034, provider: "Service Control Manager", channel: "System", data: [("param1", "MyAgent")]), .service, .high, ["service": s("MyAgent")]),
    ParserSample(windowsEvent(7036, provider: "Service Control Manager", channel: "System", data: [("param1", "Print Spooler"), ("param2", "stopped")]),
                 .service, .info, ["service": s("Print Spooler"), "state": s("stopped")]),
    ParserSample(windowsEvent(7040, provider: "Service Control Manager", channel: "System",
                              data: [("param1", "Remote Registry"), ("param2", "disabled"), ("param3", "auto start")]),
                 .service, .low, ["start_type": s("auto start")]),
    ParserSample(windowsEvent(7045, provider: "Service Control Manager", channel: "System",
                              data: [("ServiceName", "PSEXESVC"), ("ImagePath", "%SystemRoot%\\PSEXESVC.exe"), ("ServiceType", "user mode service"),
                                     ("StartType", "demand start"), ("AccountName", "LocalSystem")]),
                 .service, .medium, ["service": s("PSEXESVC"), "command": s("%SystemRoot%\\PSEXESVC.exe"), "user": s("LocalSystem"), "action": s("service_installed")]),
    ParserSample(windowsEvent(7011, provider: "Service Control Manager", channel: "System", data: [("param1", "30000"), ("param2", "wuauserv")]), .service, .low),
]

let windowsApplicationSamples: [ParserSample] = [
    ParserSample(windowsEvent(1033, provider: "MsiInstaller", channel: "Application",
                              unnamed: ["7-Zip 23.01 (x64 edition)", "23.01.00.0", "1033", "0", "Igor Pavlov", "(NULL)", ""]),
                 .software, .info, ["action": s("install"), "package": s("7-Zip 23.01 (x64 edition)"), "version": s("23.01.00.0"), "vendor": s("Igor Pavlov"),
                                    "outcome": s("success")]),
    ParserSample(windowsEvent(1033, provider: "MsiInstaller", channel: "Application", unnamed: ["Broken App", "1.0", "1033", "1603", "Acme"]), .software, .low,
                 ["outcome": s("failure")]),
    ParserSample(windowsEvent(1034, provider: "MsiInstaller", channel: "Application", unnamed: ["Google Chrome", "120.0.6099.110", "1033", "0", "Google LLC"]),
                 .software, .info, ["action": s("remove"), "package": s("Google Chrome")]),
    ParserSample(windowsEvent(11707, provider: "MsiInstaller", channel: "Application",
                              unnamed: ["Product: Mozilla Maintenance Service -- Installation completed successfully.", "(NULL)"]),
                 .software, .info, ["action": s("install"), "package": s("Mozilla Maintenance Service"), "outcome": s("success")]),
    ParserSample(windowsEvent(11708, provider: "MsiInstaller", channel: "Application", unnamed: ["Product: Foo -- Installation failed."]), .software, .low,
                 ["outcome": s("failure")]),
    ParserSample(windowsEvent(11724, provider: "MsiInstaller", channel: "Application", unnamed: ["Product: Notepad++ -- Removal completed successfully."]),
                 .software, .info, ["action": s("remove"), "package": s("Notepad++")]),
    ParserSample(windowsEvent(1000, provider: "Application Error", channel: "Application", level: 2,
                              unnamed: ["excel.exe", "16.0.17029.20028", "65512345", "ntdll.dll", "10.0.22621.2506", "c0000005"]),
                 .crash, .medium, ["process": s("excel.exe"), "module": s("ntdll.dll")]),
    ParserSample(windowsEvent(1001, provider: "Windows Error Reporting", channel: "Application",
                              unnamed: ["1234567890", "5", "APPCRASH", "Not available", "0", "chrome.exe", "120.0.0.0"]),
                 .crash, .medium, ["process": s("chrome.exe"), "reason": s("APPCRASH")]),
    ParserSample(windowsEvent(21, provider: "Microsoft-Windows-TerminalServices-LocalSessionManager",
                              channel: "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational",
                              userData: "<EventXML xmlns='Event_NS'><User>CORP\\alice</User><SessionID>3</SessionID><Address>198.51.100.23</Address></EventXML>"),
                 .remoteAccess, .info, ["action": s("logon"), "user": s("alice"), "domain": s("CORP"), "src_ip": s("198.51.100.23"), "session_id": s("3")]),
    ParserSample(windowsEvent(22, provider: "Microsoft-Windows-TerminalServices-LocalSessionManager",
                              userData: "<EventXML><User>CORP\\alice</User><SessionID>3</SessionID><Address>LOCAL</Address></EventXML>"),
                 .remoteAccess, .info, ["action": s("shell_start")], absent: ["src_ip"]),
    ParserSample(windowsEvent(23, provider: "Microsoft-Windows-TerminalServices-LocalSessionManager",
                              userData: "<EventXML><User>CORP\\alice</User><SessionID>3</SessionID></EventXML>"),
                 .remoteAccess, .info, ["action": s("logoff")]),
    ParserSample(windowsEvent(24, provider: "Microsoft-Windows-TerminalServices-LocalSessionManager",
                              userData: "<EventXML><User>CORP\\alice</User><SessionID>3</SessionID><Address>2001:db8::23</Address></EventXML>"),
                 .remoteAccess, .info, ["action": s("disconnect"), "src_ip": s("2001:db8::23")]),
    ParserSample(windowsEvent(25, provider: "Microsoft-Windows-TerminalServices-LocalSessionManager",
                              userData: "<EventXML><User>bob</User><SessionID>4</SessionID><Address>198.51.100.24</Address></EventXML>"),
                 .remoteAccess, .info, ["action": s("reconnect"), "user": s("bob")], absent: ["domain"]),
    ParserSample(windowsEvent(1, provider: "Some Vendor", channel: "Application", level: 2), .system, .medium),
]

@Suite struct WindowsEventParserTests {
    @Test(arguments: windowsSamples)
    func security(_ sample: ParserSample) {
        sample.check(WindowsEventParser(source: "windows.security"))
    }

    @Test(arguments: windowsSystemSamples)
    func system(_ sample: ParserSample) {
        sample.check(WindowsEventParser(source: "windows.system"))
    }

    @Test(arguments: windowsApplicationSamples)
    func application(_ sample: ParserSample) {
        sample.check(WindowsEventParser(source: "windows.application"))
    }

    @Test func renderedMessageIsTheSummary() {
        let line = windowsEvent(4624, data: [("TargetUserName", "x")]).replacingOccurrences(
            of: "</Event>", with: "<RenderingInfo Culture='en-US'><Message>An account was successfully logged on.\r\n\r\nSubject: ...</Message><Level>Information</Level></RenderingInfo></Event>")
        let parsed = WindowsEventParser().parse(line, readAt: ParserSample.readAt)
        #expect(parsed.message == "An account was successfully logged on.")
        #expect(parsed.fields["level"] == nil)
    }
}
