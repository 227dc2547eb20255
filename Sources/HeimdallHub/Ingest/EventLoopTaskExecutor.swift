import NIOCore

/// Runs the jobs of the tasks that prefer it on one NIO event loop.
///
/// The ingest writers prefer the hub's event loops: what they do between two awaits (take a
/// group, complete its frames) then runs on the loop that serves the sessions, so a commit
/// reaches its sessions without a hop through Swift's global pool or a cross-thread wake-up.
/// Blocking work must not run here: the writers do their database I/O on the database's
/// thread pool.
final class EventLoopTaskExecutor: TaskExecutor {
    private let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
