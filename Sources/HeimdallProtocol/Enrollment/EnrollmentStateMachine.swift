/// The hub's side of one enrollment connection, with no I/O: wait (with a deadline) for
/// one `enroll` frame, have it checked, answer, close.
///
/// The channel handler calls one method per input and performs the returned ``Action``.
/// Anything unexpected (a second frame, a malformed one, silence) becomes a close action.
/// A value type owned by one connection, used on its event loop.
public struct EnrollmentStateMachine: Sendable {
    /// What the handler must do next.
    public enum Action: Sendable, Hashable {
        case none
        /// Check the request (token, CSR) off the event loop, then call ``checked(_:)``.
        case check(EnrollRequest)
        /// Send this frame, flush, and close.
        case sendAndClose(EnrollmentReply)
        /// Close without sending anything.
        case close
    }

    /// Where the connection is.
    public enum State: Sendable, Hashable {
        case awaitingRequest
        case checking
        case closing
    }

    /// The current state.
    public private(set) var state: State = .awaitingRequest

    /// Creates a machine waiting for `enroll`.
    public init() {}

    /// A frame arrived and decoded (or failed to decode with `error`).
    public mutating func received(_ decoded: Result<EnrollRequest, ProtocolError>) -> Action {
        switch (state, decoded) {
        case (.awaitingRequest, .success(let request)):
            state = .checking
            return .check(request)
        case (.awaitingRequest, .failure(let error)):
            return fail(error)
        case (.checking, _):
            return fail(ProtocolError(.protocolViolation, "only one enroll frame is allowed per connection"))
        case (.closing, _):
            return .none
        }
    }

    /// The frame could not be read at all (bad length, not JSON).
    public mutating func decodingFailed(_ error: ProtocolError) -> Action {
        received(.failure(error))
    }

    /// The check finished: answer `enrolled` or the error, then close.
    public mutating func checked(_ result: Result<Enrolled, ProtocolError>) -> Action {
        guard state == .checking else { return .none }
        state = .closing
        switch result {
        case .success(let enrolled): return .sendAndClose(.enrolled(enrolled))
        case .failure(let error): return .sendAndClose(.error(ErrorReport(code: error.code, message: error.message, fatal: true)))
        }
    }

    /// No `enroll` frame arrived in time.
    public mutating func deadlinePassed() -> Action {
        guard state == .awaitingRequest else { return .none }
        return fail(ProtocolError(.handshakeTimeout, "no enroll frame in time"))
    }

    /// The connection went away.
    public mutating func closed() {
        state = .closing
    }

    private mutating func fail(_ error: ProtocolError) -> Action {
        state = .closing
        return .sendAndClose(.error(ErrorReport(code: error.code, message: error.message, fatal: true)))
    }
}
