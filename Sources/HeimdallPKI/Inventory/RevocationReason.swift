/// RFC 5280 CRLReason names (section 5.3.1) accepted by `heimdall-pki revoke --reason`.
/// `removeFromCRL` is not offered: Heimdall never un-revokes.
public enum RevocationReason: String, Sendable, Hashable, CaseIterable {
    case unspecified, keyCompromise, cACompromise, affiliationChanged, superseded
    case cessationOfOperation, certificateHold, privilegeWithdrawn, aACompromise

    /// The CRLReason code carried in a CRL entry's reason extension.
    public var code: Int {
        switch self {
        case .unspecified: 0
        case .keyCompromise: 1
        case .cACompromise: 2
        case .affiliationChanged: 3
        case .superseded: 4
        case .cessationOfOperation: 5
        case .certificateHold: 6
        case .privilegeWithdrawn: 9
        case .aACompromise: 10
        }
    }

    /// Every accepted name, comma separated (for messages).
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
