import Foundation

/// What a leaf certificate says. The standard profiles are ``host(_:days:now:)`` and
/// ``hub(names:days:now:)``; tests build odd ones (no EKU, expired) by hand.
/// A plain value: any thread.
public struct CertificateProfile: Hashable, Sendable {
    /// Extended key usages Heimdall issues.
    public enum ExtendedKeyUsage: String, Hashable, Sendable {
        /// TLS client (agents).
        case clientAuth
        /// TLS server (the hub).
        case serverAuth
    }

    /// Subject common name.
    public var commonName: String
    /// DNS subject alternative names.
    public var dnsNames: [String]
    /// IP subject alternative names.
    public var ipAddresses: [String]
    /// Extended key usages; empty means the certificate carries no EKU extension at all.
    public var extendedKeyUsages: [ExtendedKeyUsage]
    /// Start of validity.
    public var notBefore: Date
    /// End of validity.
    public var notAfter: Date

    /// Creates a profile from its parts, unchecked (see ``CertificateAuthority/issue(_:key:)``).
    public init(
        commonName: String,
        dnsNames: [String] = [],
        ipAddresses: [String] = [],
        extendedKeyUsages: [ExtendedKeyUsage],
        notBefore: Date,
        notAfter: Date
    ) {
        self.commonName = commonName
        self.dnsNames = dnsNames
        self.ipAddresses = ipAddresses
        self.extendedKeyUsages = extendedKeyUsages
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// Clock skew allowance: certificates start this long before "now".
    public static let backdate: TimeInterval = 300

    /// An agent certificate: CN = the normalized host name = its only DNS SAN, clientAuth.
    public static func host(_ name: String, days: Int = 365, now: Date = Date()) throws(PKIError) -> CertificateProfile {
        let host = try HostName.normalize(name)
        return CertificateProfile(
            commonName: host, dnsNames: [host], extendedKeyUsages: [.clientAuth],
            notBefore: now - backdate, notAfter: now + TimeInterval(days) * 86_400
        )
    }

    /// The hub's certificate: serverAuth, SANs DNS:localhost, IP:127.0.0.1 and each name
    /// (IP when it parses as one, else DNS); CN = the first name or "heimdall-hub".
    public static func hub(names: [String], days: Int = 825, now: Date = Date()) throws(PKIError) -> CertificateProfile {
        var dns = ["localhost"]
        var ips = ["127.0.0.1"]
        var commonName = "heimdall-hub"
        for (index, name) in names.enumerated() {
            let value = HostName.isIPAddress(name) ? name : try HostName.normalize(name)
            if index == 0 { commonName = value }
            if HostName.isIPAddress(value) {
                if !ips.contains(value) { ips.append(value) }
            } else if !dns.contains(value) {
                dns.append(value)
            }
        }
        return CertificateProfile(
            commonName: commonName, dnsNames: dns, ipAddresses: ips, extendedKeyUsages: [.serverAuth],
            notBefore: now - backdate, notAfter: now + TimeInterval(days) * 86_400
        )
    }
}
