import NIOCore

/// `enroll`: the only frame an agent sends on the enrollment listener.
public struct EnrollRequest: Sendable, Hashable {
    /// The token string as printed by `heimdall-pki enroll`.
    public var token: String
    /// The PKCS#10 request in PEM.
    public var csr: String

    /// Creates a request.
    public init(token: String, csr: String) {
        self.token = token
        self.csr = csr
    }

    /// The frame's JSON object.
    public var jsonValue: JSONValue {
        .object(["type": "enroll", "token": .string(token), "csr": .string(csr)])
    }

    /// Decodes an agent's frame on the enrollment listener: `enroll` with string `token`
    /// and `csr`; any other type is a `protocol_violation`.
    public static func decode(_ payload: ByteBuffer) throws(ProtocolError) -> EnrollRequest {
        let (type, members) = try MessageCoding.object(from: payload)
        guard type == "enroll" else {
            throw ProtocolError(.protocolViolation, "the enrollment listener only accepts an \"enroll\" frame, got \"\(type)\"")
        }
        guard let token = members["token"]?.stringValue, let csr = members["csr"]?.stringValue else {
            throw ProtocolError(.invalidFrame, "enroll needs string members \"token\" and \"csr\"")
        }
        return EnrollRequest(token: token, csr: csr)
    }
}

/// `enrolled`: the hub's answer to a valid `enroll`.
public struct Enrolled: Sendable, Hashable {
    /// The host name the certificate was issued to.
    public var host: String
    /// The new host certificate followed by its issuing intermediate, PEM.
    public var certificate: String
    /// The root CA certificate (the trust anchor the token pins), PEM.
    public var ca: String
    /// The session listener agents should connect to, `ADDR:PORT`.
    public var hub: String

    /// Creates the answer.
    public init(host: String, certificate: String, ca: String, hub: String) {
        self.host = host
        self.certificate = certificate
        self.ca = ca
        self.hub = hub
    }

    /// The frame's JSON object.
    public var jsonValue: JSONValue {
        .object([
            "type": "enrolled", "host": .string(host), "certificate": .string(certificate), "ca": .string(ca), "hub": .string(hub),
        ])
    }
}

/// What the hub sends on the enrollment listener.
public enum EnrollmentReply: Sendable, Hashable {
    case enrolled(Enrolled)
    case error(ErrorReport)

    /// The frame's JSON object.
    public var jsonValue: JSONValue {
        switch self {
        case .enrolled(let enrolled): enrolled.jsonValue
        case .error(let report): HubMessage.error(report).jsonValue
        }
    }

    /// Decodes the hub's reply (the agent's side).
    public static func decode(_ payload: ByteBuffer) throws(ProtocolError) -> EnrollmentReply {
        let (type, members) = try MessageCoding.object(from: payload)
        switch type {
        case "enrolled":
            guard let host = members["host"]?.stringValue, let certificate = members["certificate"]?.stringValue,
                  let ca = members["ca"]?.stringValue, let hub = members["hub"]?.stringValue
            else { throw ProtocolError(.invalidFrame, "enrolled lacks host, certificate, ca or hub") }
            return .enrolled(Enrolled(host: host, certificate: certificate, ca: ca, hub: hub))
        case "error":
            guard case .error(let report) = try HubMessage.decode(payload) else {
                throw ProtocolError(.invalidFrame, "malformed error frame")
            }
            return .error(report)
        default:
            throw ProtocolError(.unknownType, "unexpected frame type \"\(type)\" on the enrollment listener")
        }
    }
}
