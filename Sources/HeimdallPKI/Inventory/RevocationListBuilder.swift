internal import CHeimdallOpenSSL
import Foundation
import HeimdallTLS

/// One entry of a certificate revocation list. A value: any thread.
public struct RevokedCertificate: Sendable, Hashable {
    /// Serial in hex (any case, colons allowed).
    public var serial: String
    /// When it was revoked.
    public var revokedAt: Date
    /// Why; nil or `.unspecified` leaves the reason extension out (RFC 5280 5.3.1).
    public var reason: RevocationReason?

    /// Creates an entry. Any thread.
    public init(serial: String, revokedAt: Date, reason: RevocationReason?) {
        self.serial = serial
        self.revokedAt = revokedAt
        self.reason = reason
    }
}

/// Builds X.509 v2 CRLs signed by the issuing intermediate of a PKI directory (SHA-256,
/// sorted entries, a CRL number from the issue time). Blocking (reads the intermediate's
/// key): not on an event loop.
public enum RevocationListBuilder {
    /// How long a CRL stays current (nextUpdate - lastUpdate): 7 days.
    public static let defaultValidity: TimeInterval = 7 * 86_400

    /// The CRL in PEM, signed with `intermediate.key` of `pkiDirectory` (the root key is not
    /// needed; see ``CertificateAuthority/load(directory:)``).
    public static func pem(
        pkiDirectory: String, revoked: [RevokedCertificate], now: Date = Date(), validity: TimeInterval = defaultValidity
    ) throws(PKIError) -> String {
        try pem(authority: CertificateAuthority.load(directory: pkiDirectory), revoked: revoked, now: now, validity: validity)
    }

    /// The CRL in PEM, issued and signed by `authority`'s intermediate.
    public static func pem(
        authority: CertificateAuthority, revoked: [RevokedCertificate], now: Date = Date(), validity: TimeInterval = defaultValidity
    ) throws(PKIError) -> String {
        let ca = authority.handle
        let key = authority.key
        guard let crl = X509_CRL_new() else { throw OpenSSLFailure.error("cannot allocate a CRL") }
        defer { X509_CRL_free(crl) }
        guard X509_CRL_set_version(crl, 1) == 1, X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca.pointer)) == 1 else {
            throw OpenSSLFailure.error("cannot set the CRL version or issuer")
        }
        try setTimes(crl, lastUpdate: now, nextUpdate: now + validity)
        try setNumber(crl, Int64(now.timeIntervalSince1970))
        for entry in revoked {
            try add(entry, to: crl)
        }
        guard X509_CRL_sort(crl) == 1, X509_CRL_sign(crl, key.key, EVP_sha256()) > 0 else {
            throw OpenSSLFailure.error("cannot sign the CRL")
        }
        let pem = MemoryBIO.written { PEM_write_bio_X509_CRL($0, crl) == 1 }
        guard !pem.isEmpty else { throw OpenSSLFailure.error("cannot encode the CRL") }
        return pem
    }

    private static func setTimes(_ crl: OpaquePointer, lastUpdate: Date, nextUpdate: Date) throws(PKIError) {
        guard let last = ASN1_TIME_set(nil, time_t(lastUpdate.timeIntervalSince1970)) else {
            throw OpenSSLFailure.error("cannot encode lastUpdate")
        }
        defer { ASN1_TIME_free(last) }
        guard let next = ASN1_TIME_set(nil, time_t(nextUpdate.timeIntervalSince1970)) else {
            throw OpenSSLFailure.error("cannot encode nextUpdate")
        }
        defer { ASN1_TIME_free(next) }
        guard X509_CRL_set1_lastUpdate(crl, last) == 1, X509_CRL_set1_nextUpdate(crl, next) == 1 else {
            throw OpenSSLFailure.error("cannot set the CRL validity")
        }
    }

    private static func setNumber(_ crl: OpaquePointer, _ number: Int64) throws(PKIError) {
        guard let value = ASN1_INTEGER_new() else { throw OpenSSLFailure.error("cannot allocate the CRL number") }
        defer { ASN1_INTEGER_free(value) }
        guard ASN1_INTEGER_set_int64(value, number) == 1,
              X509_CRL_add1_ext_i2d(crl, NID_crl_number, UnsafeMutableRawPointer(value), 0, 0) == 1
        else { throw OpenSSLFailure.error("cannot set the CRL number") }
    }

    private static func add(_ entry: RevokedCertificate, to crl: OpaquePointer) throws(PKIError) {
        let hex = String(entry.serial.filter { $0 != ":" })
        guard !hex.isEmpty, hex.allSatisfy(\.isHexDigit) else {
            throw PKIError(code: .crypto, message: "revoked serial \"\(entry.serial)\" is not hexadecimal")
        }
        guard let revoked = X509_REVOKED_new() else { throw OpenSSLFailure.error("cannot allocate a CRL entry") }
        var owned = true
        defer { if owned { X509_REVOKED_free(revoked) } }
        try setSerial(revoked, hex: hex)
        guard let date = ASN1_TIME_set(nil, time_t(entry.revokedAt.timeIntervalSince1970)) else {
            throw OpenSSLFailure.error("cannot encode a revocation date")
        }
        defer { ASN1_TIME_free(date) }
        guard X509_REVOKED_set_revocationDate(revoked, date) == 1 else {
            throw OpenSSLFailure.error("cannot set a revocation date")
        }
        if let reason = entry.reason, reason != .unspecified {
            guard let code = ASN1_ENUMERATED_new() else { throw OpenSSLFailure.error("cannot allocate a reason code") }
            defer { ASN1_ENUMERATED_free(code) }
            guard ASN1_ENUMERATED_set(code, reason.code) == 1,
                  X509_REVOKED_add1_ext_i2d(revoked, NID_crl_reason, UnsafeMutableRawPointer(code), 0, 0) == 1
            else { throw OpenSSLFailure.error("cannot set the reason \(reason.rawValue)") }
        }
        guard X509_CRL_add0_revoked(crl, revoked) == 1 else { throw OpenSSLFailure.error("cannot add a CRL entry") }
        owned = false
    }

    private static func setSerial(_ revoked: OpaquePointer, hex: String) throws(PKIError) {
        var number: OpaquePointer?
        guard BN_hex2bn(&number, hex) == Int32(hex.utf8.count), let number else {
            throw OpenSSLFailure.error("cannot parse serial \(hex)")
        }
        defer { BN_free(number) }
        guard let serial = BN_to_ASN1_INTEGER(number, nil) else { throw OpenSSLFailure.error("cannot encode serial \(hex)") }
        defer { ASN1_INTEGER_free(serial) }
        guard X509_REVOKED_set_serialNumber(revoked, serial) == 1 else {
            throw OpenSSLFailure.error("cannot set serial \(hex)")
        }
    }
}
