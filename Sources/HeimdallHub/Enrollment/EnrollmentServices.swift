import HeimdallPKI
import Logging
import NIOCore

/// What every enrollment connection shares. Immutable and thread-safe.
struct EnrollmentServices: Sendable {
    var service: EnrollmentService
    var limiter: EnrollmentRateLimiter
    var deadline: TimeAmount
    var logger: Logger
}
