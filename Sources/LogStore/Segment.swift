import Foundation
import KafkaProtocol

/// One segment of a partition: `<baseOffset, 20 digits>.log` with its `.index` and
/// `.timeindex`, as in Kafka. Not thread-safe: its partition serializes access.
final class Segment: @unchecked Sendable {
    let baseOffset: Int64
    let logPath: String
    let indexPath: String
    let timeIndexPath: String
    /// Files are opened on demand through the node's handle cache.
    private let files: FileHandleCache
    private(set) var index = SparseIndex()
    /// Bytes in `.log`.
    private(set) var size: Int64 = 0
    /// The offset after the last batch (the segment's base when empty).
    private(set) var nextOffset: Int64
    /// The largest batch maxTimestamp seen (-1 when empty); retention counts from it.
    private(set) var maxTimestamp: Int64 = -1
    /// When the first batch was appended (ms), for `segment.ms`.
    private(set) var firstAppendTime: Int64?
    private var bytesSinceIndexEntry: Int64 = 0
    /// Write-behind (`PartitionLog+WriteBehind`): writeback was started for the bytes below
    /// this, and the page cache was dropped below `cacheDroppedBelow`.
    var writebackStarted: Int64 = 0
    var cacheDroppedBelow: Int64 = 0
    /// Index entries already written to their files. Entries are kept in memory and written in
    /// bulk when the segment is synced, rolled or closed: the indexes are derived data that
    /// recovery rebuilds after a crash, so they need not be on disk any sooner, and writing
    /// 8 bytes per batch would double the syscalls of the append path.
    private var writtenIndexEntries = 0
    private var writtenTimeEntries = 0
    /// Whether both index files were there when the segment was opened.
    private let indexFilesExisted: Bool

    static func fileName(_ baseOffset: Int64, _ suffix: String) -> String {
        let digits = String(baseOffset)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    /// Opens or creates the segment's three files.
    init(directory: String, baseOffset: Int64, create: Bool, files: FileHandleCache) throws(LogStoreError) {
        self.baseOffset = baseOffset
        self.nextOffset = baseOffset
        self.files = files
        let base = (directory as NSString).appendingPathComponent(Self.fileName(baseOffset, ""))
        logPath = base + ".log"
        indexPath = base + ".index"
        timeIndexPath = base + ".timeindex"
        indexFilesExisted = FileManager.default.fileExists(atPath: indexPath)
            && FileManager.default.fileExists(atPath: timeIndexPath)
        // A segment being (re)opened gets fresh descriptors: a cached one could point at a file
        // that was replaced or removed on disk since.
        for path in [logPath, indexPath, timeIndexPath] { files.forget(path) }
        _ = try files.open(logPath, create: create)
        _ = try files.open(indexPath, create: true)
        _ = try files.open(timeIndexPath, create: true)
    }

    /// The `.log` file (opened if the cache closed it). The weak reference skips the cache's
    /// lock on the append path while the cache still holds the file open.
    func log() throws(LogStoreError) -> SegmentFile {
        if let file = recentLog { return file }
        let file = try files.open(logPath)
        recentLog = file
        return file
    }

    private weak var recentLog: SegmentFile?
    private func indexFile() throws(LogStoreError) -> SegmentFile { try files.open(indexPath, create: true) }
    private func timeIndexFile() throws(LogStoreError) -> SegmentFile { try files.open(timeIndexPath, create: true) }

    var isEmpty: Bool { size == 0 }

    // MARK: Appending

    /// Writes a validated batch (offsets already assigned in `head`, its first 61 bytes) at
    /// the end, adding index entries.
    func append(head: [UInt8], body: UnsafeRawBufferPointer, header: RecordBatchHeader, now: Int64, indexInterval: Int64) throws(LogStoreError) {
        let position = size
        try log().write(head: head, body: body, at: position)
        if firstAppendTime == nil { firstAppendTime = now }
        size += Int64(head.count + body.count)
        nextOffset = header.lastOffset + 1
        try noteBatch(header, at: position, indexInterval: indexInterval)
    }

    /// Index bookkeeping for a batch at `position` (appends and rebuilds share it).
    private func noteBatch(_ header: RecordBatchHeader, at position: Int64, indexInterval: Int64) throws(LogStoreError) {
        let relative = UInt32(truncatingIfNeeded: header.baseOffset - baseOffset)
        let newMax = header.maxTimestamp > maxTimestamp
        if newMax { maxTimestamp = header.maxTimestamp }
        if bytesSinceIndexEntry >= indexInterval && position > 0 {
            index.add(relativeOffset: relative, position: UInt32(truncatingIfNeeded: position))
            bytesSinceIndexEntry = 0
        }
        if newMax {
            index.addTime(header.maxTimestamp, relativeOffset: UInt32(truncatingIfNeeded: header.lastOffset - baseOffset))
        }
        bytesSinceIndexEntry += Int64(header.totalSize)
    }

    /// Writes the index entries added since the last call.
    func writeIndexes() throws(LogStoreError) {
        if writtenIndexEntries < index.entryCount {
            let bytes = index.encodedOffsetEntries(from: writtenIndexEntries)
            try indexFile().write(bytes, at: Int64(writtenIndexEntries) * 8)
            writtenIndexEntries = index.entryCount
        }
        if writtenTimeEntries < index.timestamps.count {
            let bytes = index.encodedTimeEntries(from: writtenTimeEntries)
            try timeIndexFile().write(bytes, at: Int64(writtenTimeEntries) * 12)
            writtenTimeEntries = index.timestamps.count
        }
    }

    // MARK: Loading and recovery

    /// The result of scanning a segment's `.log`.
    struct ScanResult {
        var validBytes: Int64
        var droppedBytes: Int64
        var reason: String?
    }

    /// Which batches a recovery scan reads whole to check their CRC-32C (every batch's length,
    /// magic and offsets are checked in any case).
    enum CRCCheck {
        case none
        /// The batch that ends the file: enough when only the process died (nothing before the
        /// tail can be damaged then).
        case lastBatch
        case everyBatch
    }

    /// Rebuilds the indexes by scanning every batch (checking lengths and, as `verifyCRC` says,
    /// checksums), and truncates the log at the first batch that is torn or corrupt.
    func recover(indexInterval: Int64, verifyCRC: CRCCheck) throws(LogStoreError) -> ScanResult {
        index = SparseIndex()
        writtenIndexEntries = 0
        writtenTimeEntries = 0
        maxTimestamp = -1
        nextOffset = baseOffset
        bytesSinceIndexEntry = 0
        try indexFile().truncate(to: 0)
        try timeIndexFile().truncate(to: 0)
        let log = try log()
        let fileSize = try log.size()
        var position: Int64 = 0
        var reason: String?
        while position < fileSize {
            guard let headerBytes = try log.readExactly(count: RecordBatchHeader.size, at: position),
                  let header = headerBytes.withUnsafeBytes({ RecordBatchHeader(parsing: $0) }) else {
                reason = "a batch header is cut short"
                break
            }
            guard header.magic == 2, header.batchLength >= Int32(RecordBatchHeader.size - RecordBatchHeader.logOverhead),
                  position + Int64(header.totalSize) <= fileSize else {
                reason = "a batch length or magic is invalid, or the batch is cut short"
                break
            }
            guard header.baseOffset >= nextOffset else {
                reason = "offsets go backwards (\(header.baseOffset) after \(nextOffset - 1))"
                break
            }
            let endsTheFile = position + Int64(header.totalSize) == fileSize
            if verifyCRC == .everyBatch || (verifyCRC == .lastBatch && endsTheFile) {
                let batch = try log.read(count: header.totalSize, at: position)
                let valid = batch.withUnsafeBytes { raw in
                    (try? RecordBatchHeader.validate(raw, position: Int(position), requireDenseOffsets: false)) != nil
                }
                guard valid else {
                    reason = "a batch fails its CRC-32C or record-count check"
                    break
                }
            }
            try noteBatch(header, at: position, indexInterval: indexInterval)
            nextOffset = header.lastOffset + 1
            position += Int64(header.totalSize)
        }
        if position < fileSize { try log.truncate(to: position) }
        size = position
        try writeIndexes()
        return ScanResult(validBytes: position, droppedBytes: fileSize - position, reason: reason)
    }

    /// Loads the index files written before a clean shutdown; false when they do not match the
    /// log, in which case the caller recovers the segment instead.
    func loadCleanly(indexInterval: Int64) throws(LogStoreError) -> Bool {
        guard indexFilesExisted else { return false }
        let log = try log()
        let logSize = try log.size()
        let indexFile = try indexFile()
        let timeIndexFile = try timeIndexFile()
        guard let loaded = SparseIndex.load(
            index: try indexFile.read(count: Int(try indexFile.size()), at: 0),
            timeIndex: try timeIndexFile.read(count: Int(try timeIndexFile.size()), at: 0),
            logSize: max(logSize, 1)) else { return false }
        index = loaded
        writtenIndexEntries = loaded.entryCount
        writtenTimeEntries = loaded.timestamps.count
        size = logSize
        maxTimestamp = loaded.timestamps.last ?? -1
        // Walk the batches after the last index entry to find the end offset.
        var position = loaded.positions.last.map(Int64.init) ?? 0
        nextOffset = baseOffset
        while position < logSize {
            guard let headerBytes = try log.readExactly(count: RecordBatchHeader.size, at: position),
                  let header = headerBytes.withUnsafeBytes({ RecordBatchHeader(parsing: $0) }),
                  header.magic == 2, header.totalSize >= RecordBatchHeader.size,
                  position + Int64(header.totalSize) <= logSize else { return false }
            nextOffset = header.lastOffset + 1
            maxTimestamp = max(maxTimestamp, header.maxTimestamp)
            position += Int64(header.totalSize)
        }
        bytesSinceIndexEntry = logSize - (loaded.positions.last.map(Int64.init) ?? 0)
        return position == logSize
    }

    // MARK: Reading

    /// The first batch that holds `offset` or comes after it: its position and header.
    func locate(offset: Int64) throws(LogStoreError) -> (position: Int64, header: RecordBatchHeader)? {
        let relative = UInt32(clamping: max(0, offset - baseOffset))
        var position = index.position(atOrBefore: relative)
        while let header = try header(at: position) {
            if header.lastOffset >= offset { return (position, header) }
            position += Int64(header.totalSize)
        }
        return nil
    }

    /// The first batch whose maxTimestamp is at least `timestamp`.
    func locate(timestamp: Int64) throws(LogStoreError) -> (position: Int64, header: RecordBatchHeader)? {
        guard maxTimestamp >= timestamp else { return nil }
        let startRelative = index.relativeOffset(forTimestamp: timestamp)
        guard var (position, header) = try locate(offset: baseOffset + Int64(startRelative)) else { return nil }
        while header.maxTimestamp < timestamp {
            position += Int64(header.totalSize)
            guard let next = try self.header(at: position) else { return nil }
            header = next
        }
        return (position, header)
    }

    /// Writes the pending index entries and returns the three files, for a sync outside the
    /// partition's lock (`SegmentFile.sync` is safe from any thread; holding the files keeps
    /// their descriptors open even if the cache evicts them or retention removes the segment).
    func filesForSync() throws(LogStoreError) -> [SegmentFile] {
        try writeIndexes()
        return [try log(), try indexFile(), try timeIndexFile()]
    }

    /// Forces the segment's data and indexes to disk.
    func sync() throws(LogStoreError) {
        try writeIndexes()
        try log().sync()
        try indexFile().sync()
        try timeIndexFile().sync()
    }

    /// Removes the segment's files.
    func deleteFiles() {
        for path in [logPath, indexPath, timeIndexPath] {
            files.forget(path)
            unlink(path)
        }
    }

    /// Drops cached handles of the index files (their files are about to be replaced).
    func forgetFiles() {
        for path in [logPath, indexPath, timeIndexPath] { files.forget(path) }
    }

    /// The header of the batch at `position`, nil past the end or at a torn header.
    func header(at position: Int64) throws(LogStoreError) -> RecordBatchHeader? {
        guard position + Int64(RecordBatchHeader.size) <= size else { return nil }
        guard let headerBytes = try log().readExactly(count: RecordBatchHeader.size, at: position) else { return nil }
        return headerBytes.withUnsafeBytes { RecordBatchHeader(parsing: $0) }
    }
}
