import Foundation
import Logging
import Metrics
import Synchronization

/// Identifies a partition log.
public struct PartitionKey: Sendable, Hashable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    /// Kafka's directory name: `<topic>-<partition>`.
    public var description: String { "\(topic)-\(partition)" }

    /// Parses a directory name; topics may contain '-', so the partition is after the last one.
    init?(directoryName name: String) {
        guard let dash = name.lastIndex(of: "-"), dash != name.startIndex,
              let partition = Int32(name[name.index(after: dash)...]), partition >= 0 else { return nil }
        self.init(topic: String(name[..<dash]), partition: partition)
    }
}

/// What loading every partition found.
public struct RecoveryReport: Sendable, Equatable {
    public var partitionCount = 0
    /// Partitions whose newest segment had to be scanned (no clean-shutdown marker, or index
    /// files that did not match).
    public var recoveredPartitionCount = 0
    /// Bytes cut from torn or corrupt tails.
    public var droppedBytes: Int64 = 0
    public var cleanShutdown = false
    /// After an unclean shutdown: whether the machine had not restarted since the node last
    /// started, so the page cache kept every write and only torn tails were looked for.
    public var pageCacheSurvived = false
}

/// Every partition log of a node: opened at start, maintained in the background, closed on
/// shutdown with a clean-shutdown marker that lets the next start skip the recovery scan.
public final class LogManager: Sendable {
    public let dataDirectory: String
    public let defaults: LogConfiguration
    let logger: Logger
    /// Segment files open at once are capped by this cache (`sluice.log.max.open.files`).
    public let files: FileHandleCache
    /// Applied to every partition log.
    public let writeBehind: WriteBehind
    private let logs = Mutex<[PartitionKey: PartitionLog]>([:])
    private let watch = MaintenanceWatch()

    static let cleanShutdownFile = ".clean-shutdown"
    /// The kernel's boot id when the node last started (see ``BootIdentity``).
    static let bootIDFile = ".boot-id"

    /// - Parameters:
    ///   - maxOpenFiles: segment files kept open at once; the least recently used are closed
    ///     and reopened on demand.
    ///   - writeBehind: when appended data is handed to the disk and leaves the page cache.
    public init(dataDirectory: String, defaults: LogConfiguration, maxOpenFiles: Int = 1024,
                writeBehind: WriteBehind = .default, logger: Logger) {
        self.files = FileHandleCache(capacity: maxOpenFiles)
        self.writeBehind = writeBehind
        self.dataDirectory = dataDirectory
        self.defaults = defaults
        self.logger = logger
    }

    private var markerPath: String { (dataDirectory as NSString).appendingPathComponent(Self.cleanShutdownFile) }

    /// Opens every `<topic>-<partition>` directory. The clean-shutdown marker is consumed: a
    /// crash from now on makes the next start recover.
    public func loadAll(configurations: [String: LogConfiguration] = [:]) async throws -> RecoveryReport {
        var report = RecoveryReport()
        report.cleanShutdown = FileManager.default.fileExists(atPath: markerPath)
        let bootIDPath = (dataDirectory as NSString).appendingPathComponent(Self.bootIDFile)
        let boot = BootIdentity.current()
        report.pageCacheSurvived = !report.cleanShutdown && BootIdentity.sameBoot(recordedAt: bootIDPath, current: boot)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dataDirectory)) ?? []
        var opened: [PartitionKey: PartitionLog] = [:]
        for name in names.sorted() {
            var isDirectory: ObjCBool = false
            let path = (dataDirectory as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
                  let key = PartitionKey(directoryName: name) else { continue }
            let (log, loaded) = try PartitionLog.open(
                topic: key.topic, partition: key.partition, directory: path,
                configuration: configurations[key.topic] ?? defaults, cleanShutdown: report.cleanShutdown,
                pageCacheSurvived: report.pageCacheSurvived, files: files, watch: watch, writeBehind: writeBehind, logger: logger)
            opened[key] = log
            report.partitionCount += 1
            if loaded.recovered { report.recoveredPartitionCount += 1 }
            report.droppedBytes += loaded.droppedBytes
        }
        logs.withLock { $0.merge(opened) { _, new in new } }
        // Before anything is appended: a crash from now on within this boot needs only the
        // tail check.
        try BootIdentity.record(boot, at: bootIDPath)
        unlink(markerPath)
        updateGauges()
        return report
    }

    public func partitionLog(topic: String, partition: Int32) -> PartitionLog? {
        logs.withLock { $0[PartitionKey(topic: topic, partition: partition)] }
    }

    /// Every open log.
    public var allLogs: [PartitionLog] { logs.withLock { Array($0.values) } }

    /// Opens (creating if needed) a partition's log.
    public func createPartitionLog(topic: String, partition: Int32, configuration: LogConfiguration? = nil) throws -> PartitionLog {
        let key = PartitionKey(topic: topic, partition: partition)
        if let existing = logs.withLock({ $0[key] }) { return existing }
        let directory = (dataDirectory as NSString).appendingPathComponent(key.description)
        let (log, _) = try PartitionLog.open(
            topic: topic, partition: partition, directory: directory, configuration: configuration ?? defaults,
            cleanShutdown: true, files: files, watch: watch, writeBehind: writeBehind, logger: logger)
        let kept = logs.withLock { logs in
            if let raced = logs[key] { return raced }
            logs[key] = log
            return log
        }
        if kept !== log { watch.forget(log) }
        return kept
    }

    /// Closes a partition's log and deletes its directory.
    public func deletePartitionLog(topic: String, partition: Int32) throws {
        let key = PartitionKey(topic: topic, partition: partition)
        guard let log = logs.withLock({ $0.removeValue(forKey: key) }) else { return }
        watch.forget(log)
        try log.deleteAll()
    }

    /// Retention, compaction and `flush.ms`, until the task is cancelled. One loop for all
    /// partitions; `flush.ms` and compaction look only at the logs that asked for it
    /// (`MaintenanceWatch`), so idle partitions cost nothing between retention checks.
    /// - Parameters:
    ///   - retentionCheckInterval: Kafka's `log.retention.check.interval.ms` (5 minutes).
    public func runMaintenance(
        retentionCheckInterval: Duration = .seconds(300), cleanerInterval: Duration = .seconds(15)
    ) async throws {
        let clock = ContinuousClock()
        var nextRetention = clock.now
        var nextCleaning = clock.now + cleanerInterval
        while true {
            try await Task.sleep(for: .seconds(1))
            let now = Self.nowMs()
            for log in watch.takeFlushPending() { log.flushIfOlderThanConfigured(nowMs: now) }
            if clock.now >= nextRetention {
                nextRetention = clock.now + retentionCheckInterval
                for log in allLogs {
                    do { try log.applyRetention(nowMs: now) } catch {
                        logger.error("retention failed", metadata: ["partition": "\(log.topic)-\(log.partition)", "error": "\(error)"])
                    }
                }
                updateGauges()
            }
            if clock.now >= nextCleaning {
                nextCleaning = clock.now + cleanerInterval
                for log in watch.compactedLogs {
                    do {
                        if let report = try log.compactIfDirty(nowMs: now), report.segmentsCleaned > 0 {
                            logger.info("compacted", metadata: [
                                "partition": "\(log.topic)-\(log.partition)", "records_removed": "\(report.recordsRemoved)",
                                "bytes_before": "\(report.bytesBefore)", "bytes_after": "\(report.bytesAfter)",
                            ])
                        }
                    } catch {
                        logger.error("compaction failed", metadata: ["partition": "\(log.topic)-\(log.partition)", "error": "\(error)"])
                    }
                }
            }
        }
    }

    /// Flushes every log, refuses further appends, and writes the clean-shutdown marker.
    public func close() async throws {
        for log in allLogs { try log.close() }
        let marker = try SegmentFile(path: markerPath, create: true)
        try marker.sync()
        updateGauges()
    }

    func updateGauges() {
        let all = allLogs
        LogMetrics.sizeBytes.record(all.reduce(Int64(0)) { $0 + $1.sizeInBytes })
        LogMetrics.segments.record(all.reduce(0) { $0 + $1.segmentCount })
    }

    static func nowMs() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }
}
