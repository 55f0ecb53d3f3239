import Foundation
import Testing
@testable import LogStore

/// The maintenance loop looks only at the logs that asked for it: idle partitions are not
/// walked for `flush.ms` or compaction.
@Suite struct MaintenanceWatchTests {
    private func open(_ directory: TemporaryDirectory, _ configuration: LogConfiguration, watch: MaintenanceWatch) throws -> PartitionLog {
        try PartitionLog.open(topic: "t", partition: 0, directory: directory.file("t-0"), configuration: configuration,
                              cleanShutdown: true, files: testFiles, watch: watch, logger: testLogger).0
    }

    @Test func onlyALogWithUnsyncedDataAndFlushMsIsWatched() async throws {
        let watch = MaintenanceWatch()
        var configuration = LogConfiguration()
        configuration.flushMs = 0
        let log = try open(TemporaryDirectory(), configuration, watch: watch)
        #expect(watch.takeFlushPending().isEmpty)
        _ = try await log.append(batch(2), nowMs: 10)
        let pending = watch.takeFlushPending()
        #expect(pending.count == 1 && pending[0] === log)
        // The check syncs it; once synced it is no longer watched.
        log.flushIfOlderThanConfigured(nowMs: 10)
        try await log.waitUntilDurable(offset: 2)
        for log in watch.takeFlushPending() { log.flushIfOlderThanConfigured(nowMs: 10) }
        #expect(watch.takeFlushPending().isEmpty)
    }

    @Test func appendsWithoutFlushMsAreNotWatched() async throws {
        let watch = MaintenanceWatch()
        let log = try open(TemporaryDirectory(), LogConfiguration(), watch: watch)
        _ = try await log.append(batch(2), nowMs: 10)
        #expect(watch.takeFlushPending().isEmpty)
    }

    @Test func compactedLogsFollowTheirConfiguration() throws {
        let watch = MaintenanceWatch()
        var configuration = LogConfiguration()
        configuration.cleanupPolicy = [.compact, .delete]
        let log = try open(TemporaryDirectory(), configuration, watch: watch)
        #expect(watch.compactedLogs.count == 1)
        configuration.cleanupPolicy = .delete
        log.update(configuration: configuration)
        #expect(watch.compactedLogs.isEmpty)
        configuration.cleanupPolicy = .compact
        log.update(configuration: configuration)
        #expect(watch.compactedLogs.count == 1)
        watch.forget(log)
        #expect(watch.compactedLogs.isEmpty)
    }
}
