/// When a reader's child process (`journalctl`, `log stream`) is started again after it
/// exited: after ``initialDelay``, doubled for every exit in a row without output, at most
/// ``maximumDelay``. An exit after output starts the doubling over.
///
/// A pure value: use it from one task.
struct RestartSchedule {
    /// The wait after an exit that followed output.
    let initialDelay: Duration
    /// The longest wait.
    let maximumDelay: Duration
    /// Exits (or failed starts) in a row without output.
    private(set) var quietExits = 0
    /// When the child may be started again; `nil` when it may start now.
    private(set) var restartAt: ContinuousClock.Instant?

    init(initialDelay: Duration, maximumDelay: Duration) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// Whether the child may be started at `now`.
    func isDue(at now: ContinuousClock.Instant = .now) -> Bool {
        restartAt.map { now >= $0 } ?? true
    }

    /// The child was started: nothing is scheduled any more.
    mutating func started() {
        restartAt = nil
    }

    /// The child exited; returns the wait before the next start.
    mutating func exited(producedOutput: Bool, at now: ContinuousClock.Instant = .now) -> Duration {
        quietExits = producedOutput ? 0 : quietExits + 1
        var delay = initialDelay
        for _ in 0..<max(0, quietExits - 1) where delay < maximumDelay { delay *= 2 }
        delay = min(delay, maximumDelay)
        restartAt = now + delay
        return delay
    }

    /// The child could not be started: wait the longest delay.
    mutating func startFailed(at now: ContinuousClock.Instant = .now) {
        quietExits += 1
        restartAt = now + maximumDelay
    }

    /// Forgets the exits counted so far (after the caller acted on them).
    mutating func forgetQuietExits() {
        quietExits = 0
    }
}
