import HeimdallProtocol

/// The System and Application logs: shutdowns and boots (1074, 6005, 6006, 6008, 41),
/// crashes (1001 bug checks and error reports, 1000 application errors), the Service
/// Control Manager (7000-7045), MsiInstaller (1033, 1034, 11707, 11708, 11724) and Remote
/// Desktop sessions (TerminalServices-LocalSessionManager 21-25). Pure: any thread may call it.
enum WindowsSystemEvents {
    static func classify(_ event: WindowsEventXML) -> LineMatch? {
        let provider = event.provider
        if provider.contains("TerminalServices-LocalSessionManager") { return remoteDesktop(event) }
        if provider == "MsiInstaller" { return installer(event) }
        if provider == "Service Control Manager", (7000...7045).contains(event.eventID) { return serviceControl(event) }
        switch (event.eventID, provider) {
        case (1074, _):
            return event.match(.system, .low, action: "shutdown_initiated", [
                ("process", "param1"), ("src_host", "param2"), ("reason", "param3"), ("shutdown_type", "param5"), ("comment", "param6"),
                ("user", "param7"),
            ])
        case (6005, _): return event.match(.system, .info, action: "boot")
        case (6006, _): return event.match(.system, .info, action: "shutdown")
        case (6008, _): return event.match(.crash, .high, action: "unexpected_shutdown")
        case (41, let name) where name.contains("Kernel-Power"):
            return event.match(.crash, .high, action: "unexpected_reboot", [("reason", "BugcheckCode")])
        case (1001, let name) where name.contains("WER-SystemErrorReporting") || name.contains("BugCheck"):
            var match = event.match(.crash, .critical, action: "bugcheck", [("reason", "param1")])
            if match.fields["reason"] == nil, let first = event.unnamedData.first { match.fields.put("reason", first) }
            return match
        case (1001, "Windows Error Reporting"):
            var match = event.match(.crash, .medium, action: "error_report")
            let data = event.unnamedData
            if data.count > 5 {
                match.fields.put("reason", data[2])
                match.fields.put("process", data[5])
            }
            return match
        case (1000, "Application Error"):
            var match = event.match(.crash, .medium, action: "application_crash", [("process", "AppName"), ("version", "AppVersion"), ("module", "ModuleName")])
            let data = event.unnamedData
            if match.fields["process"] == nil, data.count > 3 {
                match.fields.put("process", data[0])
                match.fields.put("version", data[1])
                match.fields.put("module", data[3])
            }
            return match
        default:
            return nil
        }
    }

    private static func serviceControl(_ event: WindowsEventXML) -> LineMatch {
        let named: [(String, String)] = [("service", "param1"), ("service", "ServiceName")]
        switch event.eventID {
        case 7045:
            return event.match(.service, .medium, action: "service_installed", outcome: .success, [
                ("service", "ServiceName"), ("command", "ImagePath"), ("user", "AccountName"), ("start_type", "StartType"),
                ("service_type", "ServiceType"),
            ])
        case 7036: return event.match(.service, .info, action: "state_changed", named + [("state", "param2")])
        case 7035: return event.match(.service, .info, action: "control_sent", named + [("control", "param2")])
        case 7040: return event.match(.service, .low, action: "start_type_changed", named + [("previous_start_type", "param2"), ("start_type", "param3")])
        case 7031, 7034: return event.match(.service, .high, action: "terminated_unexpectedly", outcome: .failure, named)
        case 7000, 7001, 7009, 7022, 7023, 7024, 7026, 7032, 7038, 7041:
            return event.match(.service, .medium, action: "failed", outcome: .failure, named + [("reason", "param2")])
        default: return event.match(.service, .low, action: "service_event", named)
        }
    }

    /// 1033/1034 carry unnamed data: product, version, language, status, manufacturer;
    /// 11707/11708/11724 carry `Product: NAME -- Installation completed successfully.`.
    private static func installer(_ event: WindowsEventXML) -> LineMatch? {
        let data = event.unnamedData
        switch event.eventID {
        case 1033, 1034:
            let status = data.count > 3 ? data[3] : "0"
            let ok = status == "0"
            var match = event.match(.software, ok ? .info : .low, action: event.eventID == 1033 ? "install" : "remove",
                                    outcome: ok ? .success : .failure)
            match.fields.put("package", data.first)
            if data.count > 1 { match.fields.put("version", data[1]) }
            if data.count > 4 { match.fields.put("vendor", data[4]) }
            return match
        case 11707, 11708, 11724, 11725:
            let ok = event.eventID != 11708 && event.eventID != 11725
            var match = event.match(.software, ok ? .info : .low, action: event.eventID >= 11724 ? "remove" : "install",
                                    outcome: ok ? .success : .failure)
            if let text = data.first, let product = text.utf8Range(of: "Product: ") {
                let rest = text[product.upperBound...]
                match.fields.put("package", rest.utf8Range(of: " -- ").map { rest[..<$0.lowerBound] } ?? rest)
            }
            return match
        default:
            return nil
        }
    }

    /// 21 logon, 22 shell start, 23 logoff, 24 disconnect, 25 reconnect; `UserData` holds
    /// `User` (DOMAIN\name), `SessionID` and `Address` (an IP or `LOCAL`).
    private static func remoteDesktop(_ event: WindowsEventXML) -> LineMatch? {
        let actions = [21: "logon", 22: "shell_start", 23: "logoff", 24: "disconnect", 25: "reconnect"]
        guard let action = actions[event.eventID] else { return nil }
        var match = event.match(.remoteAccess, .info, action: action, outcome: event.eventID == 21 || event.eventID == 25 ? .success : nil,
                                [("src_ip", "Address"), ("session_id", "SessionID")])
        if let user = event["User"] {
            let parts = user.split(separator: "\\", maxSplits: 1)
            match.fields.put("user", parts.last)
            if parts.count == 2 { match.fields.put("domain", parts[0]) }
        }
        return match
    }
}
