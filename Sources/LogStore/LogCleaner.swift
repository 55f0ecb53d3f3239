import Foundation
import KafkaProtocol

/// Log compaction (`cleanup.policy=compact`): keeps the latest record of each key in the
/// segments before the active one, keeping offsets (gaps are allowed), and drops tombstones
/// older than `delete.retention.ms`.
///
/// Crash safety: a cleaned segment is written to `<base>.log.cleaned`, synced, renamed to
/// `<base>.log.swap`, then renamed over `<base>.log`. On start, `.cleaned` files are deleted
/// (the cleaning never finished) and `.swap` files are completed.
///
/// Compressed batches are decompressed to read their keys and recompressed with the same codec
/// when records are dropped. The key map is bounded (`maxKeyBytes`): a pass that would exceed it
/// cleans only the segments it mapped.
enum LogCleaner {
    static let cleanedSuffix = ".log.cleaned"
    static let swapSuffix = ".log.swap"
    static let checkpointFile = "cleaner-offset-checkpoint"
    /// Upper bound of the key map's key bytes for one pass.
    static let maxKeyBytes = 64 << 20

    /// Completes swaps a crash interrupted and removes half-written cleaned files.
    /// - Returns: the base offsets whose segment was swapped (their indexes must be rebuilt).
    static func finishInterruptedSwaps(in directory: String) throws(LogStoreError) -> Set<Int64> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var swapped: Set<Int64> = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            if name.hasSuffix(cleanedSuffix) {
                unlink(path)
            } else if name.hasSuffix(swapSuffix), let base = Int64(name.dropLast(swapSuffix.count)) {
                let target = (directory as NSString).appendingPathComponent(Segment.fileName(base, ".log"))
                guard rename(path, target) == 0 else { throw SegmentFile.error("rename", path) }
                swapped.insert(base)
            }
        }
        return swapped
    }
}

/// What one compaction pass did.
public struct CompactionReport: Sendable, Equatable {
    public var segmentsCleaned = 0
    public var recordsRemoved = 0
    public var bytesBefore: Int64 = 0
    public var bytesAfter: Int64 = 0
}

extension PartitionLog {
    /// Compacts the log when it is compacted and dirty enough (`min.cleanable.dirty.ratio`).
    /// Runs beside appends: only segments before the active one are read and replaced.
    /// - Returns: nil when there was nothing to do.
    @discardableResult
    public func compactIfDirty(nowMs: Int64, force: Bool = false) throws(LogStoreError) -> CompactionReport? {
        let (snapshot, configuration, checkpoint) = state.withLock { state in
            (Array(state.segments.dropLast()), state.configuration, readCleanerCheckpoint())
        }
        guard configuration.cleanupPolicy.contains(.compact), !snapshot.isEmpty else { return nil }
        let total = snapshot.reduce(Int64(0)) { $0 + $1.size }
        let dirty = snapshot.filter { $0.nextOffset > checkpoint }.reduce(Int64(0)) { $0 + $1.size }
        guard force || (dirty > 0 && Double(dirty) / Double(total) >= configuration.minCleanableDirtyRatio) else { return nil }

        // 1. The latest offset of every key, over the cleanable segments (bounded).
        var latest: [[UInt8]: Int64] = [:]
        var keyBytes = 0
        var mapped: [Segment] = []
        mapping: for segment in snapshot {
            for batch in try batches(of: segment) {
                guard let records = batch.records else { continue }
                for record in records {
                    guard let key = record.key else { continue }
                    if latest[key] == nil { keyBytes += key.count + 48 }
                    latest[key] = batch.header.baseOffset + Int64(record.offsetDelta)
                }
            }
            mapped.append(segment)
            if keyBytes > LogCleaner.maxKeyBytes { break mapping }
        }

        // 2. Rewrite each mapped segment that has something to drop.
        var report = CompactionReport()
        let tombstoneHorizon = nowMs - configuration.deleteRetentionMs
        for segment in mapped {
            var output: [UInt8] = []
            var removed = 0
            for batch in try batches(of: segment) {
                guard let records = batch.records else {
                    output += batch.bytes
                    continue
                }
                let kept = records.filter { record in
                    guard let key = record.key else { return true }
                    let offset = batch.header.baseOffset + Int64(record.offsetDelta)
                    guard latest[key] == offset else { return false }
                    return record.value != nil || batch.header.maxTimestamp >= tombstoneHorizon
                }
                removed += records.count - kept.count
                if kept.count == records.count {
                    output += batch.bytes
                } else if !kept.isEmpty {
                    output += try rebuild(batch.header, keeping: kept)
                }
            }
            guard removed > 0 else { continue }
            try replace(segment, with: output, configuration: configuration)
            report.segmentsCleaned += 1
            report.recordsRemoved += removed
            report.bytesBefore += segment.size
            report.bytesAfter += Int64(output.count)
        }
        if let last = mapped.last { try writeCleanerCheckpoint(last.nextOffset) }
        return report
    }

    private struct StoredBatch {
        var header: RecordBatchHeader
        var bytes: [UInt8]
        /// nil for control batches (and unreadable ones), which are kept whole.
        var records: [Record]?
    }

    private func batches(of segment: Segment) throws(LogStoreError) -> [StoredBatch] {
        let bytes = try segment.log().read(count: Int(segment.size), at: 0)
        var result: [StoredBatch] = []
        var position = 0
        while position < bytes.count {
            let header: RecordBatchHeader
            do {
                header = try bytes.withUnsafeBytes { (raw) throws(RecordBatchError) in
                    try RecordBatchHeader.validate(UnsafeRawBufferPointer(rebasing: raw[position...]), position: position,
                                                   verifyCRC: false, requireDenseOffsets: false)
                }
            } catch {
                throw LogStoreError(.corruptBatch, "compaction of \(segment.logPath): \(error)")
            }
            let batchBytes = Array(bytes[position..<(position + header.totalSize)])
            let records = StoredBatchRecords.records(of: batchBytes, header: header)
            result.append(StoredBatch(header: header, bytes: batchBytes, records: records))
            position += header.totalSize
        }
        return result
    }

    /// The batch with only `kept` records; offsets, timestamps and producer fields unchanged,
    /// and its offset range (lastOffsetDelta) kept so the next batch still follows it.
    private func rebuild(_ header: RecordBatchHeader, keeping kept: [Record]) throws(LogStoreError) -> [UInt8] {
        let region = try StoredBatchRecords.region(kept, header: header)
        return RecordBatchBuilder.assemble(
            baseOffset: header.baseOffset, partitionLeaderEpoch: header.partitionLeaderEpoch,
            attributes: header.attributes, lastOffsetDelta: header.lastOffsetDelta,
            baseTimestamp: header.baseTimestamp, maxTimestamp: header.maxTimestamp,
            producerID: header.producerID, producerEpoch: header.producerEpoch,
            baseSequence: header.baseSequence, recordsCount: Int32(kept.count), recordsRegion: region)
    }

    /// Writes the cleaned bytes beside the segment, then swaps them in (see ``LogCleaner``).
    private func replace(_ segment: Segment, with bytes: [UInt8], configuration: LogConfiguration) throws(LogStoreError) {
        let base = (directory as NSString).appendingPathComponent(Segment.fileName(segment.baseOffset, ""))
        let cleaned = base + LogCleaner.cleanedSuffix
        let swap = base + LogCleaner.swapSuffix
        let file = try SegmentFile(path: cleaned, create: true)
        try file.truncate(to: 0)
        try file.write(bytes, at: 0)
        try file.sync()
        guard rename(cleaned, swap) == 0 else { throw SegmentFile.error("rename", cleaned) }
        try state.withLock { (state) throws(LogStoreError) in
            guard let index = state.segments.firstIndex(where: { $0 === segment }), index < state.segments.count - 1 else {
                unlink(swap)  // retention removed it meanwhile
                return
            }
            segment.forgetFiles()
            guard rename(swap, base + ".log") == 0 else { throw SegmentFile.error("rename", swap) }
            unlink(base + ".index")
            unlink(base + ".timeindex")
            let replacement = try Segment(directory: directory, baseOffset: segment.baseOffset, create: false, files: files)
            _ = try replacement.recover(indexInterval: configuration.indexIntervalBytes, verifyCRC: .none)
            try replacement.sync()
            state.segments[index] = replacement
        }
    }

    private func readCleanerCheckpoint() -> Int64 {
        let path = (directory as NSString).appendingPathComponent(LogCleaner.checkpointFile)
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return 0 }
        return Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    private func writeCleanerCheckpoint(_ offset: Int64) throws(LogStoreError) {
        let path = (directory as NSString).appendingPathComponent(LogCleaner.checkpointFile)
        let temporary = path + ".tmp"
        let file = try SegmentFile(path: temporary, create: true)
        try file.truncate(to: 0)
        try file.write(Array("\(offset)\n".utf8), at: 0)
        try file.sync()
        guard rename(temporary, path) == 0 else { throw SegmentFile.error("rename", temporary) }
    }
}
