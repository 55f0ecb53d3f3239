import Foundation
import Testing
@testable import LogStore

@Suite struct WriteBehindTests {
    /// Appends `batches` batches to a log whose own write-behind is off, asking the active
    /// segment for its next step after each, as `append` does, and returns the steps.
    private func steps(_ policy: WriteBehind, batches: Int) async throws -> (jobs: [WriteBehindJob], size: Int64) {
        let directory = TemporaryDirectory()
        let log = try openLog(directory)
        var jobs: [WriteBehindJob] = []
        for index in 0..<batches {
            _ = try await log.append(batch(20, prefix: "record-\(index)-padding-padding"), nowMs: 1)
            if let job = log.state.withLock({ $0.active.writeBehindJob(policy) }) {
                jobs.append(job)
            }
        }
        return (jobs, log.state.withLock { $0.active.size })
    }

    @Test(arguments: [
        // chunk, tail, batches (about 700 bytes each)
        (Int64(4096), Int64(8192), 100),
        (4096, 0, 100),
        (4096, -1, 100),
        (1, 0, 10),
        (1 << 20, 1 << 20, 100),
    ])
    func stepsCoverTheSegmentInOrderAndKeepTheTail(chunk: Int64, tail: Int64, batches: Int) async throws {
        let policy = WriteBehind(chunkBytes: chunk, cachedTailBytes: tail)
        let (jobs, size) = try await steps(policy, batches: batches)
        // Writeback ranges follow one another from 0, each at least a chunk, and leave less
        // than a chunk behind.
        var written: Int64 = 0
        for job in jobs {
            #expect(job.writeback.lowerBound == written)
            #expect(Int64(job.writeback.count) >= chunk)
            written = job.writeback.upperBound
        }
        #expect(written <= size && size - written < chunk)
        // Dropped ranges follow one another from 0, never reach into the cached tail, and
        // never reach past what was written back.
        let drops = jobs.compactMap(\.drop)
        var dropped: Int64 = 0
        for (job, drop) in jobs.compactMap({ job in job.drop.map { (job, $0) } }) {
            #expect(drop.lowerBound == dropped)
            #expect(drop.upperBound <= job.writeback.upperBound)
            dropped = drop.upperBound
        }
        if tail < 0 {
            #expect(drops.isEmpty)
        } else {
            #expect(dropped <= max(0, size - tail))
            #expect(size - tail - dropped < 2 * chunk)
        }
    }

    @Test func offAndSubChunkAppendsAskForNothing() async throws {
        #expect(try await steps(.off, batches: 50).jobs.isEmpty)
        #expect(try await steps(WriteBehind(chunkBytes: 1 << 30, cachedTailBytes: 0), batches: 50).jobs.isEmpty)
    }

    /// With the node's default policy scaled down, everything appended reads back intact, from
    /// the page cache for the tail and from the disk for what was dropped.
    @Test func dataReadsBackIntactAfterWriteBehindAndDropBehind() async throws {
        let directory = TemporaryDirectory()
        let manager = LogManager(dataDirectory: directory.path, defaults: LogConfiguration(),
                                 writeBehind: WriteBehind(chunkBytes: 4096, cachedTailBytes: 4096), logger: testLogger)
        _ = try await manager.loadAll()
        let log = try manager.createPartitionLog(topic: "wb", partition: 0)
        for index in 0..<200 { _ = try await log.append(batch(5, prefix: "wb-\(index)"), nowMs: 1) }
        // Let the background queue finish its hints before reading.
        PartitionLog.writeBehindQueue.sync {}
        let values = try readAll(log).map(\.1)
        #expect(values.count == 1000)
        #expect(values.first == "wb-0-0")
        #expect(values.last == "wb-199-4")
        #expect(log.state.withLock { $0.active.cacheDroppedBelow } > 0)
        try await manager.close()
    }
}
