/// Why a PKI operation failed. Compare by `code`.
public struct PKIError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable reason codes.
    public enum Code: String, Hashable, Sendable {
        /// A host or hub name is not a valid DNS name (or IP address where allowed).
        case invalidName = "invalid_name"
        /// `initialize` found an existing CA (`ca.pem`, `root.key`, `intermediate.key`, ...).
        case alreadyInitialized = "already_initialized"
        /// A private key file is readable by group or others.
        case insecureKeyPermissions = "insecure_key_permissions"
        /// A file is missing or unreadable, or could not be written.
        case io = "io"
        /// Bad PEM, mismatched key, or another OpenSSL failure.
        case crypto = "crypto"
        /// A certificate signing request is malformed, badly signed, or uses a weak key
        /// (protocol error `csr_invalid`).
        case csrInvalid = "csr_invalid"
        /// A request's subject CN differs from the host it was meant for (`name_mismatch`).
        case nameMismatch = "name_mismatch"
        /// A certificate profile is inconsistent (e.g. notAfter before notBefore).
        case invalidProfile = "invalid_profile"
        /// The root key (`root.key`) is not in the CA directory, and the operation needs it.
        case rootKeyUnavailable = "root_key_unavailable"
    }

    /// The stable reason.
    public let code: Code
    /// What went wrong, in words.
    public let message: String
    /// OpenSSL's reason strings, when it said something.
    public let openSSLReasons: [String]

    /// Creates an error. Any thread may call it.
    public init(code: Code, message: String, openSSLReasons: [String] = []) {
        self.code = code
        self.message = message
        self.openSSLReasons = openSSLReasons
    }

    /// One sentence describing the failure.
    public var description: String {
        var text = "PKI error \(code.rawValue): \(message)"
        if !openSSLReasons.isEmpty {
            text += " [OpenSSL: \(openSSLReasons.joined(separator: "; "))]"
        }
        return text + "."
    }
}
