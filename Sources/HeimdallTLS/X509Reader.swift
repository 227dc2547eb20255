internal import CHeimdallOpenSSL
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads fields out of an `X509*`. Pure functions over a borrowed pointer: any thread.
package enum X509Reader {
    /// The first CN of the `X509_NAME*` `name`, or nil.
    package static func commonName(of name: OpaquePointer?) -> String? {
        guard let name else { return nil }
        let index = X509_NAME_get_index_by_NID(name, NID_commonName, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(name, index) else { return nil }
        return utf8(UnsafePointer(X509_NAME_ENTRY_get_data(entry)))
    }

    /// An ASN1 string's content decoded to UTF-8.
    static func utf8(_ string: UnsafePointer<ASN1_STRING>?) -> String? {
        guard let string else { return nil }
        var out: UnsafeMutablePointer<UInt8>?
        let length = ASN1_STRING_to_UTF8(&out, string)
        guard length >= 0, let out else { return nil }
        defer { heimdall_OPENSSL_free(out) }
        return String(decoding: UnsafeBufferPointer(start: out, count: Int(length)), as: UTF8.self)
    }

    /// The raw bytes of an ASN1 string.
    static func bytes(_ string: UnsafePointer<ASN1_STRING>?) -> [UInt8] {
        guard let string, let data = ASN1_STRING_get0_data(string) else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(string))))
    }

    /// DNS and IP subject alternative names.
    static func alternativeNames(of cert: OpaquePointer) -> (dns: [String], ip: [String]) {
        guard let raw = X509_get_ext_d2i(cert, NID_subject_alt_name, nil, nil) else { return ([], []) }
        let names = OpaquePointer(raw)
        defer { GENERAL_NAMES_free(names) }
        var dns: [String] = []
        var ips: [String] = []
        for index in 0 ..< heimdall_sk_GENERAL_NAME_num(names) {
            guard let name = heimdall_sk_GENERAL_NAME_value(names, index) else { continue }
            let value = heimdall_general_name_string(name)
            switch heimdall_general_name_type(name) {
            case GEN_DNS:
                if let text = utf8(value) { dns.append(text) }
            case GEN_IPADD:
                if let text = ipText(bytes(value)) { ips.append(text) }
            default:
                continue
            }
        }
        return (dns, ips)
    }

    /// The serial as uppercase hex without separators, as `openssl x509 -serial` prints it.
    static func serialHex(of cert: OpaquePointer) -> String {
        guard let serial = X509_get0_serialNumber(cert) else { return "00" }
        let magnitude = bytes(serial)
        let hex = hexString(magnitude).uppercased()
        return hex.isEmpty ? "00" : hex
    }

    /// DER encoding of the certificate.
    static func der(of cert: OpaquePointer) -> [UInt8] {
        let length = i2d_X509(cert, nil)
        guard length > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            _ = i2d_X509(cert, &cursor)
        }
        return bytes
    }

    /// PEM encoding of the certificate.
    package static func pem(of cert: OpaquePointer) -> String {
        MemoryBIO.written { PEM_write_bio_X509($0, cert) == 1 }
    }

    /// An ASN1_TIME as a Date.
    static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { return Date(timeIntervalSince1970: 0) }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    /// True when the certificate has an extended key usage extension listing clientAuth.
    /// A certificate without the extension does not count.
    static func hasClientAuthUsage(_ cert: OpaquePointer) -> Bool {
        let flags = X509_get_extension_flags(cert)
        guard flags & UInt32(EXFLAG_XKUSAGE) != 0 else { return false }
        return X509_get_extended_key_usage(cert) & UInt32(XKU_SSL_CLIENT) != 0
    }

    private static func ipText(_ bytes: [UInt8]) -> String? {
        let family: Int32
        switch bytes.count {
        case 4: family = AF_INET
        case 16: family = AF_INET6
        default: return nil
        }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
