import Dispatch
import Foundation
import KafkaProtocol
import Logging
import Metrics
import NIOCore
import Synchronization

/// The result of an append.
public struct AppendResult: Sendable, Equatable {
    public var baseOffset: Int64
    public var lastOffset: Int64
    /// The broker time stamped on a LogAppendTime topic, else -1 (Produce's `log_append_time_ms`).
    public var logAppendTime: Int64
    public var logStartOffset: Int64
}

/// The result of a read: file ranges to send as they are.
public struct LogReadResult: Sendable {
    /// Zero or more ranges of whole batches (the last may be cut at the byte limit, which
    /// clients expect); empty at the log end.
    public var slices: [FileSlice]
    public var logStartOffset: Int64
    public var logEndOffset: Int64

    public var byteCount: Int { slices.reduce(0) { $0 + $1.length } }
}

/// How an append waits for the disk.
public enum Durability: Sendable {
    /// Acknowledge once the bytes are in the page cache (acks=0/1).
    case pageCache
    /// Acknowledge once an fdatasync covers them (acks=all), shared with every append waiting
    /// at the same moment (group commit).
    case fsync
}

/// One partition's log: a directory of segments, appended to under a lock, read as file ranges.
///
/// Appends are serialized by a lock (not an actor hop, on the hot path); fdatasync runs on a
/// background queue so that one sync covers every append waiting when it starts.
public final class PartitionLog: Sendable {
    public let topic: String
    public let partition: Int32
    public let directory: String
    let state: Mutex<State>
    let logger: Logger
    let files: FileHandleCache
    /// Tells the node's maintenance loop when this log needs it (nil in tests that run none).
    let watch: MaintenanceWatch?
    /// How appended data leaves the page cache (see ``WriteBehind``).
    let writeBehind: WriteBehind

    struct State: @unchecked Sendable {
        var configuration: LogConfiguration
        var segments: [Segment]
        var logStartOffset: Int64
        var closed = false
        // Durability (group commit).
        var syncedOffset: Int64
        var syncing = false
        var waiters: [(offset: Int64, continuation: CheckedContinuation<Void, any Error>)] = []
        var recordsSinceSync: Int64 = 0
        /// The segment rolled last, while its fdatasync runs in the background: rolling must
        /// not hold appends up for the seconds that syncing a full segment can take. There is
        /// at most one (a roll finishes the previous one's sync first), so after a crash
        /// recovery scans the newest two segments.
        var rolledUnsynced: RolledSegment?
        var oldestUnsyncedAppend: Int64?

        var active: Segment { segments[segments.count - 1] }
        var logEndOffset: Int64 { active.nextOffset }
        var size: Int64 { segments.reduce(0) { $0 + $1.size } }
    }

    init(topic: String, partition: Int32, directory: String, configuration: LogConfiguration,
         segments: [Segment], logStartOffset: Int64, files: FileHandleCache, watch: MaintenanceWatch?,
         writeBehind: WriteBehind, logger: Logger) {
        self.files = files
        self.writeBehind = writeBehind
        self.watch = watch
        self.topic = topic
        self.partition = partition
        self.directory = directory
        self.logger = logger
        let end = segments.last?.nextOffset ?? 0
        self.state = Mutex(State(
            configuration: configuration, segments: segments, logStartOffset: logStartOffset, syncedOffset: end))
    }

    // MARK: Properties

    public var logStartOffset: Int64 { state.withLock { $0.logStartOffset } }
    public var logEndOffset: Int64 { state.withLock { $0.logEndOffset } }
    public var configuration: LogConfiguration { state.withLock { $0.configuration } }
    public var sizeInBytes: Int64 { state.withLock { $0.size } }
    public var segmentCount: Int { state.withLock { $0.segments.count } }

    /// Replaces the log's settings (AlterConfigs); they apply from the next append or check.
    public func update(configuration: LogConfiguration) {
        let dirty = state.withLock { state in
            state.configuration = configuration
            return state.oldestUnsyncedAppend != nil
        }
        watch?.configured(self, compacted: configuration.cleanupPolicy.contains(.compact))
        if dirty && configuration.flushMs != nil { watch?.flushPending(self) }
    }

    // MARK: Append

    /// Validates one batch, assigns its offsets (baseOffset and partitionLeaderEpoch, and
    /// maxTimestamp for LogAppendTime), and appends it. Nothing is written when a check fails.
    /// The rewrites go into a copy of the 61-byte header, written ahead of the rest of the
    /// caller's bytes: `batch` is never modified, so a request's buffer is never copied.
    /// - Parameters:
    ///   - batch: exactly one RecordBatch v2.
    ///   - nowMs: the broker's time, for LogAppendTime and `segment.ms`.
    public func append(_ batch: UnsafeRawBufferPointer, leaderEpoch: Int32, nowMs: Int64) throws(LogStoreError) -> AppendResult {
        let started = DispatchTime.now().uptimeNanoseconds
        let header: RecordBatchHeader
        do {
            header = try RecordBatchHeader.validateSingleBatch(batch)
        } catch {
            throw .corrupt(error)
        }
        var rolled = false
        var awaitsFlushMs = false
        var writeBehindJob: WriteBehindJob?
        let result = try state.withLock { (state) throws(LogStoreError) -> AppendResult in
            guard !state.closed else { throw LogStoreError(.closed, "the log of \(topic)-\(partition) is closed") }
            guard Int64(batch.count) <= state.configuration.maxMessageBytes else {
                throw LogStoreError(.batchTooLarge, "the batch has \(batch.count) bytes; max.message.bytes of \(topic) is \(state.configuration.maxMessageBytes)")
            }
            rolled = try rollIfNeeded(&state, incoming: Int64(batch.count), nowMs: nowMs)
            let baseOffset = state.logEndOffset
            let body = UnsafeRawBufferPointer(rebasing: batch[RecordBatchHeader.size...])
            var head = Array(batch[..<RecordBatchHeader.size])
            var appendTime: Int64 = -1
            head.withUnsafeMutableBytes { head in
                RecordBatchRewrite.assign(baseOffset: baseOffset, leaderEpoch: leaderEpoch, in: head)
                if state.configuration.logAppendTime {
                    RecordBatchRewrite.setLogAppendTime(nowMs, head: head, body: body)
                    appendTime = nowMs
                }
            }
            var stored = header
            stored.baseOffset = baseOffset
            if appendTime >= 0 { stored.maxTimestamp = appendTime }
            try state.active.append(head: head, body: body, header: stored, now: nowMs,
                                    indexInterval: state.configuration.indexIntervalBytes)
            state.recordsSinceSync += Int64(header.recordsCount)
            writeBehindJob = state.active.writeBehindJob(writeBehind)
            if state.oldestUnsyncedAppend == nil {
                state.oldestUnsyncedAppend = nowMs
                awaitsFlushMs = state.configuration.flushMs != nil
            }
            return AppendResult(baseOffset: baseOffset, lastOffset: stored.lastOffset,
                                logAppendTime: appendTime, logStartOffset: state.logStartOffset)
        }
        if rolled { requestSync() }
        if let writeBehindJob { run(writeBehindJob) }
        if awaitsFlushMs { watch?.flushPending(self) }
        LogMetrics.appendedBatches.increment()
        LogMetrics.appendedBytes.increment(by: batch.count)
        LogMetrics.appendLatency.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - started))
        flushIfMessageThresholdReached()
        return result
    }

    /// Appends and, for `.fsync`, returns only once the batch is on disk.
    public func append(_ batch: ByteBuffer, leaderEpoch: Int32, nowMs: Int64, durability: Durability) async throws -> AppendResult {
        let result = try batch.withUnsafeReadableBytes { (raw) throws(LogStoreError) in
            try append(raw, leaderEpoch: leaderEpoch, nowMs: nowMs)
        }
        if durability == .fsync {
            try await waitUntilDurable(offset: result.lastOffset + 1)
        }
        return result
    }

    /// Convenience for tests and tools: appends a copy of `batch`.
    public func append(_ batch: [UInt8], leaderEpoch: Int32 = 0, nowMs: Int64, durability: Durability = .pageCache) async throws -> AppendResult {
        return try await append(ByteBuffer(bytes: batch), leaderEpoch: leaderEpoch, nowMs: nowMs, durability: durability)
    }

    /// Returns whether it rolled.
    private func rollIfNeeded(_ state: inout State, incoming: Int64, nowMs: Int64) throws(LogStoreError) -> Bool {
        let active = state.active
        guard !active.isEmpty else { return false }
        let configuration = state.configuration
        let full = active.size + incoming > configuration.segmentBytes
        let old = active.firstAppendTime.map { nowMs - $0 >= configuration.segmentMs } ?? false
        let indexFull = active.index.indexBytes + 8 > configuration.segmentIndexBytes
        let offsetsOverflow = active.nextOffset - active.baseOffset > Int64(UInt32.max) - 1
        guard full || old || indexFull || offsetsOverflow else { return false }
        // At most one rolled segment waits for its sync: finish the previous one's now (rare:
        // only when segments fill faster than they sync).
        if let previous = state.rolledUnsynced {
            for file in previous.files { try file.sync() }
            state.rolledUnsynced = nil
        }
        let rolled = RolledSegment(files: try active.filesForSync())
        let next = try Segment(directory: directory, baseOffset: active.nextOffset, create: true, files: files)
        state.segments.append(next)
        state.rolledUnsynced = rolled
        logger.debug("rolled segment", metadata: ["partition": "\(topic)-\(partition)", "base_offset": "\(next.baseOffset)"])
        return true
    }

    // MARK: Read

    /// Reads from `offset`: the batch that holds it (possibly starting earlier; the client skips
    /// the records before), then following batches up to `maxBytes`, but always at least one
    /// whole batch when there is one.
    /// - Throws: `offsetOutOfRange` before the log start or after the log end.
    public func read(from offset: Int64, maxBytes: Int) throws(LogStoreError) -> LogReadResult {
        try state.withLock { (state) throws(LogStoreError) -> LogReadResult in
            guard offset >= state.logStartOffset, offset <= state.logEndOffset else {
                throw LogStoreError(.offsetOutOfRange, "offset \(offset) of \(topic)-\(partition) is outside [\(state.logStartOffset), \(state.logEndOffset)]")
            }
            var result = LogReadResult(slices: [], logStartOffset: state.logStartOffset, logEndOffset: state.logEndOffset)
            guard offset < state.logEndOffset else { return result }
            var index = Self.segmentIndex(containing: offset, in: state.segments)
            // A segment can end before the offset (gaps after compaction): move on.
            while index < state.segments.count {
                let segment = state.segments[index]
                if let (position, header) = try segment.locate(offset: offset) {
                    let available = segment.size - position
                    let length = min(available, max(Int64(maxBytes), Int64(header.totalSize)))
                    result.slices.append(FileSlice(file: try segment.log(), position: position, length: Int(length)))
                    return result
                }
                index += 1
            }
            return result
        }
    }

    /// The index of the last segment whose base offset is at most `offset`.
    static func segmentIndex(containing offset: Int64, in segments: [Segment]) -> Int {
        var low = 0
        var high = segments.count
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].baseOffset <= offset { low = middle + 1 } else { high = middle }
        }
        return max(0, low - 1)
    }

    /// ListOffsets by time: the first record whose timestamp is at least `timestamp`, with its
    /// offset and timestamp; nil when every record is older. Batches are searched record by
    /// record (decompressed if needed); LogAppendTime batches carry one timestamp.
    public func offset(forTimestamp timestamp: Int64) throws(LogStoreError) -> (offset: Int64, timestamp: Int64)? {
        try state.withLock { (state) throws(LogStoreError) -> (offset: Int64, timestamp: Int64)? in
            for segment in state.segments where segment.maxTimestamp >= timestamp {
                guard let (position, header) = try segment.locate(timestamp: timestamp) else { continue }
                let start = max(header.baseOffset, state.logStartOffset)
                if !header.isLogAppendTime,
                   let records = StoredBatchRecords.records(of: try segment.log().read(count: header.totalSize, at: position), header: header) {
                    for record in records {
                        let time = header.baseTimestamp + record.timestampDelta
                        let offset = header.baseOffset + Int64(record.offsetDelta)
                        if time >= timestamp && offset >= start { return (offset, time) }
                    }
                }
                return (start, header.maxTimestamp)
            }
            return nil
        }
    }

    /// The record with the largest timestamp (ListOffsets MAX_TIMESTAMP), at batch precision.
    public func maxTimestampOffset() throws(LogStoreError) -> (offset: Int64, timestamp: Int64)? {
        try state.withLock { (state) throws(LogStoreError) -> (offset: Int64, timestamp: Int64)? in
            guard let segment = state.segments.max(by: { $0.maxTimestamp < $1.maxTimestamp }), segment.maxTimestamp >= 0,
                  let (_, header) = try segment.locate(timestamp: segment.maxTimestamp) else { return nil }
            return (header.lastOffset, header.maxTimestamp)
        }
    }
}
