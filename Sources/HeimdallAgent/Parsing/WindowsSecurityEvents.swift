import HeimdallProtocol

/// The Security log: logons (4624, 4625, 4634, 4647, 4648, 4672, 4776), process creation
/// (4688), account management (4720-4726, 4738, 4740, 4767), group membership (4728/4732/4756
/// added, 4729/4733/4757 removed), session reconnects (4778/4779) and log clearing (1102).
/// Pure: any thread may call it.
enum WindowsSecurityEvents {
    /// Groups whose members administer the machine or the domain.
    private static let adminGroups: Set<String> = [
        "administrators", "domain admins", "enterprise admins", "schema admins", "account operators", "backup operators",
        "server operators", "remote desktop users", "dnsadmins", "group policy creator owners", "hyper-v administrators",
    ]

    private static let logon: [(String, String)] = [
        ("user", "TargetUserName"), ("domain", "TargetDomainName"), ("logon_type", "LogonType"), ("src_ip", "IpAddress"),
        ("src_port", "IpPort"), ("process", "ProcessName"), ("method", "AuthenticationPackageName"),
        ("logon_process", "LogonProcessName"), ("workstation", "WorkstationName"), ("logon_id", "TargetLogonId"),
    ]
    private static let account: [(String, String)] = [
        ("user", "SubjectUserName"), ("target_user", "TargetUserName"), ("target_domain", "TargetDomainName"),
    ]

    static func classify(_ event: WindowsEventXML) -> LineMatch? {
        guard event.provider.isEmpty || event.provider.contains("Security-Auditing") || event.provider.contains("Eventlog") else { return nil }
        switch event.eventID {
        case 4624: return event.match(.auth, .info, action: "logon", outcome: .success, logon)
        case 4625:
            return event.match(.auth, .medium, action: "logon", outcome: .failure,
                               logon + [("reason", "FailureReason"), ("failure_status", "Status"), ("failure_sub_status", "SubStatus")])
        case 4634, 4647:
            return event.match(.auth, .info, action: "logoff", [("user", "TargetUserName"), ("domain", "TargetDomainName"),
                                                                  ("logon_type", "LogonType"), ("logon_id", "TargetLogonId")])
        case 4648:
            return event.match(.auth, .low, action: "explicit_credentials", [
                ("user", "SubjectUserName"), ("target_user", "TargetUserName"), ("target_server", "TargetServerName"),
                ("src_ip", "IpAddress"), ("src_port", "IpPort"), ("process", "ProcessName"),
            ])
        case 4672: return event.match(.privilege, .low, action: "special_privileges", [("user", "SubjectUserName"), ("privileges", "PrivilegeList")])
        case 4776:
            let success = event["Status"].map { $0 == "0x0" || $0 == "0" } ?? true
            return event.match(.auth, success ? .info : .medium, action: "credential_validation", outcome: success ? .success : .failure,
                               [("user", "TargetUserName"), ("workstation", "Workstation"), ("failure_status", "Status")])
        case 4688:
            return event.match(.system, .info, action: "process_created", [
                ("user", "SubjectUserName"), ("process", "NewProcessName"), ("command", "CommandLine"), ("pid", "NewProcessId"),
                ("parent_process", "ParentProcessName"),
            ])
        case 4720: return event.match(.privilege, .medium, action: "user_created", outcome: .success, account)
        case 4722: return event.match(.privilege, .low, action: "user_enabled", outcome: .success, account)
        case 4723: return event.match(.privilege, .low, action: "password_change", account)
        case 4724: return event.match(.privilege, .medium, action: "password_reset", account)
        case 4725: return event.match(.privilege, .low, action: "user_disabled", outcome: .success, account)
        case 4726: return event.match(.privilege, .medium, action: "user_deleted", outcome: .success, account)
        case 4738: return event.match(.privilege, .low, action: "user_changed", outcome: .success, account)
        case 4740: return event.match(.auth, .high, action: "account_locked", outcome: .failure,
                                      [("user", "SubjectUserName"), ("target_user", "TargetUserName"), ("src_host", "TargetDomainName")])
        case 4767: return event.match(.privilege, .low, action: "user_unlocked", outcome: .success, account)
        case 4728, 4732, 4756: return membership(event, added: true)
        case 4729, 4733, 4757: return membership(event, added: false)
        case 4778, 4779:
            return event.match(.remoteAccess, .info, action: event.eventID == 4778 ? "session_reconnected" : "session_disconnected", [
                ("user", "AccountName"), ("domain", "AccountDomain"), ("src_ip", "ClientAddress"), ("client_name", "ClientName"),
                ("session_name", "SessionName"),
            ])
        case 1102:
            return event.match(.system, .high, action: "log_cleared", [("user", "SubjectUserName"), ("domain", "SubjectDomainName")])
        default: return nil
        }
    }

    /// 4728/4732/4756 (added) and 4729/4733/4757 (removed): the group is `TargetUserName`,
    /// the member `MemberName` (a DN, whose first `CN=` is kept) or `MemberSid`.
    private static func membership(_ event: WindowsEventXML, added: Bool) -> LineMatch {
        let group = event["TargetUserName"] ?? ""
        let severity: EventSeverity = added ? (adminGroups.contains(group.lowercased()) ? .high : .medium) : .low
        var match = event.match(.privilege, severity, action: added ? "group_member_added" : "group_member_removed", outcome: .success,
                                [("user", "SubjectUserName"), ("group", "TargetUserName"), ("target_sid", "MemberSid")])
        if let member = event["MemberName"] {
            let name = member.hasPrefix("CN=") ? String(member.dropFirst(3).prefix { $0 != "," }) : member
            match.fields.put("target_user", name)
        }
        return match
    }
}
