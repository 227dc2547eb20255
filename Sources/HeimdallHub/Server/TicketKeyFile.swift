import Foundation
import HeimdallSystem
import HeimdallTLS

/// The hub's session-ticket keys on disk (`<pki-dir>/session-ticket-keys`, mode 0600), so a
/// restarted hub still decrypts the tickets its agents hold. One line per key:
/// `<created, unix seconds> <name|aes|hmac as 160 hex digits>`, after a header naming the
/// SHA-256 of the CA file the keys belong to: when `ca.pem` changes, the keys are dropped
/// (no session made under the old CA resumes). Blocking file I/O: not on an event loop.
struct TicketKeyFile {
    let path: String
    /// SHA-256 (hex) of the trust roots the keys are bound to.
    let trustRootsDigest: String

    /// The keys stored for the current trust roots; empty when the file is missing, is
    /// bound to other trust roots, or is readable by group or others (treated as exposed).
    func load() -> SessionTicketKeyring {
        guard let data = FileManager.default.contents(atPath: path),
              (try? SecureFile.isGroupOrWorldAccessible(path)) == false
        else { return SessionTicketKeyring(keys: []) }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard lines.first.map(String.init) == header else { return SessionTicketKeyring(keys: []) }
        lines.removeFirst()
        return SessionTicketKeyring(keys: lines.compactMap(Self.key(from:)))
    }

    /// Replaces the file with `keyring` (atomically, mode 0600).
    func save(_ keyring: SessionTicketKeyring) throws {
        let lines = keyring.keys.map { "\(Int64($0.createdAt.timeIntervalSince1970)) \(hexString($0.material))" }
        try SecureFile.write(text: ([header] + lines).joined(separator: "\n") + "\n", to: path)
    }

    private var header: String { "# heimdall session ticket keys v1 ca-sha256=\(trustRootsDigest)" }

    private static func key(from line: Substring) -> SessionTicketKey? {
        let fields = line.split(separator: " ")
        guard fields.count == 2, let seconds = Int64(fields[0]), let material = bytes(hex: fields[1]) else { return nil }
        return SessionTicketKey(material: material, createdAt: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    private static func bytes(hex: Substring) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
        }
        return out
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
