import Logging
import LogStore
import Metrics
import ServiceLifecycle

/// Runs the node's partition logs for the life of the process: recovers them at start (the node
/// reports `recovering` until they are loaded and the listeners accept connections), runs retention, compaction and periodic flushes while the node
/// serves, and on graceful shutdown flushes every log and writes the clean-shutdown marker, so
/// the next start skips the recovery scan.
public struct LogStoreService: Service {
    let manager: LogManager
    let health: NodeHealth
    let readiness: Readiness
    /// Runs after the logs are loaded and before the node reports serving (the broker opens
    /// its topics' logs with their settings here).
    let afterLoad: @Sendable () throws -> Void
    let logger: Logger

    public init(manager: LogManager, health: NodeHealth, readiness: Readiness,
                afterLoad: @escaping @Sendable () throws -> Void = {}, logger: Logger) {
        self.manager = manager
        self.health = health
        self.readiness = readiness
        self.afterLoad = afterLoad
        self.logger = logger
    }

    public func run() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let report = try await manager.loadAll()
        logger.info("logs loaded", metadata: [
            "partitions": "\(report.partitionCount)",
            "recovered": "\(report.recoveredPartitionCount)",
            "clean_shutdown": "\(report.cleanShutdown)",
            "page_cache_survived": "\(report.pageCacheSurvived)",
            "duration": "\(clock.now - started)",
        ])
        try afterLoad()
        Gauge(label: "sluice_log_partitions").record(report.partitionCount)
        readiness.markReady()
        do {
            try await cancelWhenGracefulShutdown {
                try await manager.runMaintenance()
            }
        } catch is CancellationError {
            // The expected way out: graceful shutdown cancelled the maintenance loop.
        }
        health.stopping()
        try await manager.close()
        logger.info("logs flushed and closed cleanly")
    }
}
