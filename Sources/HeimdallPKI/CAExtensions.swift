internal import CHeimdallOpenSSL

/// The extension sets of Heimdall's three kinds of certificate. Any thread.
enum CAExtensions {
    /// The root: CA with pathlen 1 (one intermediate below it), signs certificates and CRLs.
    static let root: [CertificateBuilder.Extension] = [
        .init(nid: NID_basic_constraints, value: "critical,CA:TRUE,pathlen:1"),
        .init(nid: NID_key_usage, value: "critical,keyCertSign,cRLSign"),
        .init(nid: NID_subject_key_identifier, value: "hash"),
        .init(nid: NID_authority_key_identifier, value: "keyid:always"),
    ]

    /// The issuing intermediate: CA with pathlen 0 (signs leaves only) and CRLs.
    static let intermediate: [CertificateBuilder.Extension] = [
        .init(nid: NID_basic_constraints, value: "critical,CA:TRUE,pathlen:0"),
        .init(nid: NID_key_usage, value: "critical,keyCertSign,cRLSign"),
        .init(nid: NID_subject_key_identifier, value: "hash"),
        .init(nid: NID_authority_key_identifier, value: "keyid:always"),
    ]

    /// A leaf (host or hub): not a CA, digitalSignature, the profile's EKUs and SANs.
    static func leaf(_ profile: CertificateProfile) -> [CertificateBuilder.Extension] {
        var extensions: [CertificateBuilder.Extension] = [
            .init(nid: NID_basic_constraints, value: "critical,CA:FALSE"),
            .init(nid: NID_key_usage, value: "critical,digitalSignature"),
        ]
        if !profile.extendedKeyUsages.isEmpty {
            extensions.append(.init(nid: NID_ext_key_usage, value: profile.extendedKeyUsages.map(\.rawValue).joined(separator: ",")))
        }
        let names = profile.dnsNames.map { "DNS:\($0)" } + profile.ipAddresses.map { "IP:\($0)" }
        if !names.isEmpty {
            extensions.append(.init(nid: NID_subject_alt_name, value: names.joined(separator: ",")))
        }
        extensions.append(.init(nid: NID_subject_key_identifier, value: "hash"))
        extensions.append(.init(nid: NID_authority_key_identifier, value: "keyid:always"))
        return extensions
    }
}
