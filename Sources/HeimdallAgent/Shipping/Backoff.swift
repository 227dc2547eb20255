/// Jittered exponential backoff for reconnecting: a random delay between half and all of
/// the current ceiling, the ceiling doubling from `initial` up to `maximum`, so a fleet
/// that lost its hub at once does not come back at once. Pure value.
public struct Backoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration
    private var attempt = 0

    public init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(30)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay before the next attempt; each call raises the ceiling.
    public mutating func nextDelay<Generator: RandomNumberGenerator>(using generator: inout Generator) -> Duration {
        let ceiling = min(maximum, initial * (1 << min(attempt, 20)))
        attempt += 1
        let milliseconds = ceiling.components.seconds * 1000 + ceiling.components.attoseconds / 1_000_000_000_000_000
        return .milliseconds(Int64.random(in: (milliseconds / 2)...max(milliseconds / 2, milliseconds), using: &generator))
    }

    /// The delay before the next attempt, with the system's random generator.
    public mutating func nextDelay() -> Duration {
        var generator = SystemRandomNumberGenerator()
        return nextDelay(using: &generator)
    }

    /// A session succeeded: start again from the initial delay.
    public mutating func reset() {
        attempt = 0
    }
}
