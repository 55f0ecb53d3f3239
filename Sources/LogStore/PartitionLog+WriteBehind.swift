import CPageCache
import Dispatch
import Foundation

/// How a log keeps its page-cache footprint small: write-behind starts the kernel's writeback
/// of each chunk as soon as it is appended, instead of leaving dirty pages until the kernel's
/// 30-second expiry or dirty limit (which then stalls writers for hundreds of milliseconds); and
/// drop-behind drops the pages of data that is on disk and older than the cached tail, so that
/// new appends reuse the pages just freed instead of taking fresh memory. Readers of the tail
/// (most consumers) find it in the cache; older data is read from the disk.
public struct WriteBehind: Sendable, Equatable {
    /// Start writeback every this many bytes appended to a segment; 0 leaves it to the kernel
    /// (and turns drop-behind off too).
    public var chunkBytes: Int64
    /// The newest bytes of each segment that stay in the page cache after writeback; -1 keeps
    /// everything (write-behind only).
    public var cachedTailBytes: Int64

    public init(chunkBytes: Int64, cachedTailBytes: Int64) {
        self.chunkBytes = chunkBytes
        self.cachedTailBytes = cachedTailBytes
    }

    /// Leaves writeback and the page cache to the kernel.
    public static let off = WriteBehind(chunkBytes: 0, cachedTailBytes: -1)
    /// Writeback every 2 MiB, 32 MiB of each segment's tail kept cached: on a 2-core VM this
    /// doubled sustained produce throughput and took p99 latency from ~1 s to ~12 ms
    /// (docs/performance.md). A larger tail keeps more for lagging consumers but brings the
    /// stalls back as the cache fills with dirty pages.
    public static let `default` = WriteBehind(chunkBytes: 2 << 20, cachedTailBytes: 32 << 20)
}

/// One step of write-behind for a segment's `.log`, computed under the partition's lock and run
/// on the write-behind queue.
struct WriteBehindJob: @unchecked Sendable {
    var file: SegmentFile
    var writeback: Range<Int64>
    var drop: Range<Int64>?
}

extension Segment {
    /// The next write-behind step once a chunk has been appended since the last one. Never
    /// throws: it runs after the batch is in the log, and a hint that cannot be given must not
    /// turn a successful append into an error (and a retried, duplicated batch).
    func writeBehindJob(_ policy: WriteBehind) -> WriteBehindJob? {
        guard policy.chunkBytes > 0, size - writebackStarted >= policy.chunkBytes,
              let file = try? log() else { return nil }
        let writeback = writebackStarted..<size
        writebackStarted = size
        var drop: Range<Int64>?
        if policy.cachedTailBytes >= 0 {
            let keepFrom = size - policy.cachedTailBytes
            if keepFrom - cacheDroppedBelow >= policy.chunkBytes {
                drop = cacheDroppedBelow..<keepFrom
                cacheDroppedBelow = keepFrom
            }
        }
        return WriteBehindJob(file: file, writeback: writeback, drop: drop)
    }
}

extension PartitionLog {
    /// Shared by all logs, serial: writeback requests can block while the device queue is full,
    /// and one thread issuing them in order is all the disk needs.
    static let writeBehindQueue = DispatchQueue(label: "sluice.log.write-behind")

    func run(_ job: WriteBehindJob) {
        Self.writeBehindQueue.async { [logger, topic, partition] in
            let descriptor = job.file.descriptor
            var failure = cpagecache_start_writeback(descriptor, job.writeback.lowerBound, Int64(job.writeback.count))
            if failure == 0, let drop = job.drop {
                failure = cpagecache_drop(descriptor, drop.lowerBound, Int64(drop.count))
            }
            if failure != 0 {
                // Only a hint to the kernel: fdatasync reports real write errors.
                logger.debug("write-behind failed", metadata: [
                    "partition": "\(topic)-\(partition)", "error": "\(String(cString: strerror(failure)))",
                ])
            }
        }
    }
}
