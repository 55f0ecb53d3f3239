import Foundation
import Logging

/// Opening a partition directory: segments are found by their `.log` files; after a clean
/// shutdown their index files are trusted (checked for consistency); otherwise the newest two
/// segments, the only ones a crash can tear (the active one, and the one rolled last, whose
/// sync may not have finished; older ones are synced), are scanned batch by batch, truncated
/// at the first torn or corrupt batch, and their indexes rebuilt. A tear in the older of the
/// two drops the newer one, as nothing after a lost batch may stay.
///
/// When only the process died (`pageCacheSurvived`: the machine has not restarted since the
/// node last started), every write it made is in the page cache, so the only possible damage
/// is a batch cut short at the very end: the scan checks each batch's length and header and
/// the CRC of the last one only, reading a few bytes per batch instead of the whole segment.
extension PartitionLog {
    /// What opening one partition found.
    public struct LoadReport: Sendable, Equatable {
        /// Whether any segment had to be scanned and its indexes rebuilt.
        public var recovered = false
        /// Bytes cut from torn or corrupt tails.
        public var droppedBytes: Int64 = 0
    }

    static func open(
        topic: String, partition: Int32, directory: String, configuration: LogConfiguration,
        cleanShutdown: Bool, pageCacheSurvived: Bool = false, files: FileHandleCache, watch: MaintenanceWatch? = nil,
        writeBehind: WriteBehind = .off, logger: Logger
    ) throws(LogStoreError) -> (PartitionLog, LoadReport) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw LogStoreError(.io, "cannot create '\(directory)': \(error.localizedDescription)")
        }
        let swapped = try LogCleaner.finishInterruptedSwaps(in: directory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let bases = names.compactMap { name -> Int64? in
            guard name.hasSuffix(".log"), name.count == 24 else { return nil }
            return Int64(name.dropLast(4))
        }.sorted()
        let persistedStart = readLogStartOffset(directory: directory) ?? 0
        var report = LoadReport()
        var segments: [Segment] = []
        for (position, base) in bases.enumerated() {
            let segment = try Segment(directory: directory, baseOffset: base, create: false, files: files)
            let isNewest = position == bases.count - 1
            let mayBeTorn = position >= bases.count - 2
            var trusted = false
            if (cleanShutdown || !mayBeTorn) && !swapped.contains(base) {
                trusted = try segment.loadCleanly(indexInterval: configuration.indexIntervalBytes)
            }
            if !trusted {
                let scan = try segment.recover(indexInterval: configuration.indexIntervalBytes,
                                               verifyCRC: pageCacheSurvived ? .lastBatch : .everyBatch)
                report.recovered = true
                report.droppedBytes += scan.droppedBytes
                if scan.droppedBytes > 0 {
                    logger.warning("truncated a torn or corrupt log tail", metadata: [
                        "partition": "\(topic)-\(partition)", "segment": "\(segment.logPath)",
                        "kept_bytes": "\(scan.validBytes)", "dropped_bytes": "\(scan.droppedBytes)",
                        "reason": "\(scan.reason ?? "")",
                    ])
                    LogMetrics.recoveredBytesDropped.increment(by: Int(scan.droppedBytes))
                    if !isNewest {
                        segments.append(segment)
                        for later in bases[(position + 1)...] {
                            let dropped = try Segment(directory: directory, baseOffset: later, create: false, files: files)
                            logger.warning("dropped a segment that followed a torn one", metadata: [
                                "partition": "\(topic)-\(partition)", "segment": "\(dropped.logPath)"])
                            dropped.deleteFiles()
                        }
                        break
                    }
                }
            }
            segments.append(segment)
        }
        if segments.isEmpty {
            segments.append(try Segment(directory: directory, baseOffset: persistedStart, create: true, files: files))
        }
        let logStart = max(persistedStart, segments[0].baseOffset)
        let log = PartitionLog(topic: topic, partition: partition, directory: directory, configuration: configuration,
                               segments: segments, logStartOffset: min(logStart, segments[segments.count - 1].nextOffset),
                               files: files, watch: watch, writeBehind: writeBehind, logger: logger)
        watch?.configured(log, compacted: configuration.cleanupPolicy.contains(.compact))
        return (log, report)
    }

    /// Flushes everything and refuses further appends.
    func close() throws(LogStoreError) {
        let pending = try state.withLock { (state) throws(LogStoreError) -> [CheckedContinuation<Void, any Error>] in
            guard !state.closed else { return [] }
            for file in state.rolledUnsynced?.files ?? [] { try file.sync() }
            state.rolledUnsynced = nil
            try state.active.sync()
            state.syncedOffset = state.logEndOffset
            state.closed = true
            let waiting = state.waiters.map(\.continuation)
            state.waiters = []
            return waiting
        }
        for continuation in pending { continuation.resume() }
    }

    /// Closes the log and removes its directory.
    func deleteAll() throws(LogStoreError) {
        state.withLock { state in
            state.closed = true
            for segment in state.segments { segment.deleteFiles() }
            state.segments.removeAll { _ in false }
        }
        do {
            try FileManager.default.removeItem(atPath: directory)
        } catch {
            throw LogStoreError(.io, "cannot remove '\(directory)': \(error.localizedDescription)")
        }
    }
}
