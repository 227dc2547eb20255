#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallProtocol
import Logging

/// The agent's status loop: primes a ``SystemStatusCollector``, then every `interval`
/// samples the system and queues a `status` frame with the shipper.
///
/// While no session is up, at most `offlineBacklog` snapshots are queued (they are sent,
/// and stored as history, once the hub is back); beyond that snapshots are skipped, so a
/// long outage cannot fill the agent's memory with status frames.
enum StatusReporter {
    static func run<Source: EventSource>(
        interval: Duration, shipper: Shipper<Source>, collector: SystemStatusCollector, offlineBacklog: Int = 15,
        logger: Logger
    ) async {
        var queuedOffline = 0
        do {
            _ = try await collector.collect()
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                if await shipper.isLeaving { return }
                let connected = await shipper.welcome != nil
                if connected { queuedOffline = 0 }
                let metrics = try await collector.collect()
                guard connected || queuedOffline < offlineBacklog else {
                    logger.debug("hub unreachable; status snapshot skipped")
                    continue
                }
                if !connected { queuedOffline += 1 }
                await shipper.enqueueStatus(takenAt: Date(), metrics: metrics)
            }
        } catch is CancellationError {
            return
        } catch {
            logger.error("system status collection stopped", metadata: ["error": "\(error)"])
        }
    }
}
