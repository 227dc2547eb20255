/// A frame sent by the hub on the session listener (protocol.md, Hub to agent).
public enum HubMessage: Sendable, Hashable {
    case welcome(Welcome)
    case ack(Ack)
    case pong(Pong)
    case renewed(Renewal)
    case error(ErrorReport)
}

/// `renewed`: the new certificate for the key in the agent's `renew`, to use from its next
/// connection, and the CA certificate.
public struct Renewal: Sendable, Hashable {
    /// The new host certificate followed by its issuing intermediate, PEM.
    public var certificate: String
    /// The root CA certificate, PEM.
    public var ca: String

    public init(certificate: String, ca: String) {
        self.certificate = certificate
        self.ca = ca
    }
}

/// `welcome`: the hub's answer to `hello`, with the session's limits.
public struct Welcome: Sendable, Hashable {
    public var protocolVersion: Int
    /// The host name taken from the client certificate.
    public var host: String
    public var sessionID: String
    public var heartbeatInterval: Int
    public var maximumFrameLength: Int
    public var maximumBatchSize: Int
    public var window: Int

    public init(protocolVersion: Int, host: String, sessionID: String, heartbeatInterval: Int, maximumFrameLength: Int, maximumBatchSize: Int, window: Int) {
        self.protocolVersion = protocolVersion
        self.host = host
        self.sessionID = sessionID
        self.heartbeatInterval = heartbeatInterval
        self.maximumFrameLength = maximumFrameLength
        self.maximumBatchSize = maximumBatchSize
        self.window = window
    }
}

/// `ack`: a data frame's content is committed.
public struct Ack: Sendable, Hashable {
    public var sequenceNumber: UInt64
    public var stored: Int
    public var duplicates: Int
    public var rejected: [EventRejection]

    public init(sequenceNumber: UInt64, stored: Int, duplicates: Int, rejected: [EventRejection] = []) {
        self.sequenceNumber = sequenceNumber
        self.stored = stored
        self.duplicates = duplicates
        self.rejected = rejected
    }
}

/// `pong`: the answer to `heartbeat`.
public struct Pong: Sendable, Hashable {
    /// The hub's clock, RFC 3339.
    public var timestamp: String
    /// The heartbeat's `ts`, as sent.
    public var echo: String?

    public init(timestamp: String, echo: String?) {
        self.timestamp = timestamp
        self.echo = echo
    }
}

/// `error`: what went wrong; `fatal` means the hub closes the connection right after.
public struct ErrorReport: Sendable, Hashable {
    public var code: ProtocolErrorCode
    public var message: String
    public var fatal: Bool

    public init(code: ProtocolErrorCode, message: String, fatal: Bool? = nil) {
        self.code = code
        self.message = message
        self.fatal = fatal ?? code.isFatal
    }

    public init(_ error: ProtocolError) {
        self.init(code: error.code, message: error.message)
    }
}
