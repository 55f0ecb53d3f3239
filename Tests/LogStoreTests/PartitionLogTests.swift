import Compression
import Foundation
import KafkaProtocol
import Testing
@testable import LogStore

@Suite struct PartitionLogTests {
    @Test func appendsAssignConsecutiveOffsetsAndReadsReturnThem() async throws {
        let directory = TemporaryDirectory()
        let log = try openLog(directory)
        let first = try await log.append(batch(3), nowMs: 1)
        let second = try await log.append(batch(2, prefix: "w"), nowMs: 2)
        #expect(first.baseOffset == 0 && first.lastOffset == 2)
        #expect(second.baseOffset == 3 && second.lastOffset == 4)
        #expect(log.logEndOffset == 5)
        let values = try readAll(log).map(\.1)
        #expect(values == ["v-0", "v-1", "v-2", "w-0", "w-1"])
        #expect(FileManager.default.fileExists(atPath: directory.file("t-0/00000000000000000000.log")))
    }

    @Test func readFromMidBatchReturnsTheWholeContainingBatch() async throws {
        let directory = TemporaryDirectory()
        let log = try openLog(directory)
        _ = try await log.append(batch(3), nowMs: 1)
        _ = try await log.append(batch(3, prefix: "w"), nowMs: 1)
        let read = try log.read(from: 4, maxBytes: 1)
        let bytes = try read.slices[0].bytes()
        let header = bytes.withUnsafeBytes { RecordBatchHeader(parsing: $0)! }
        #expect(header.baseOffset == 3)
        #expect(bytes.count == header.totalSize, "at least one whole batch even past maxBytes")
        #expect(try readAll(log, from: 4).map(\.0) == [4, 5])
    }

    @Test func readAtTheEndIsEmptyAndOutsideTheLogIsOutOfRange() async throws {
        let directory = TemporaryDirectory()
        let log = try openLog(directory)
        _ = try await log.append(batch(2), nowMs: 1)
        #expect(try log.read(from: 2, maxBytes: 100).slices.isEmpty)
        #expect(throws: LogStoreError.self) { try log.read(from: 3, maxBytes: 100) }
        #expect(throws: LogStoreError.self) { try log.read(from: -1, maxBytes: 100) }
    }

    @Test func offsetsAndEpochAreRewrittenInThePayload() async throws {
        let directory = TemporaryDirectory()
        let log = try openLog(directory)
        _ = try await log.append(batch(1), nowMs: 1)
        _ = try await log.append(batch(1), leaderEpoch: 9, nowMs: 1)
        let bytes = try log.read(from: 1, maxBytes: 1 << 20).slices[0].bytes()
        let header = try bytes.withUnsafeBytes { raw throws(RecordBatchError) in try RecordBatchHeader.validate(raw) }
        #expect(header.baseOffset == 1)
        #expect(header.partitionLeaderEpoch == 9)
    }

    @Test func logAppendTimeStampsTheBatch() async throws {
        let directory = TemporaryDirectory()
        var configuration = LogConfiguration()
        configuration.logAppendTime = true
        let log = try openLog(directory, configuration)
        let result = try await log.append(batch(2), nowMs: 1_800_000_000_000)
        #expect(result.logAppendTime == 1_800_000_000_000)
        let bytes = try log.read(from: 0, maxBytes: 1 << 20).slices[0].bytes()
        let header = try bytes.withUnsafeBytes { raw throws(RecordBatchError) in try RecordBatchHeader.validate(raw) }
        #expect(header.isLogAppendTime)
        #expect(header.maxTimestamp == 1_800_000_000_000)
    }

    @Test func corruptAndOversizedBatchesAreRejectedAndNothingIsAppended() async throws {
        let directory = TemporaryDirectory()
        var configuration = LogConfiguration()
        configuration.maxMessageBytes = 200
        let log = try openLog(directory, configuration)
        var corrupt = batch(2)
        corrupt[corrupt.count - 1] ^= 0xff
        do {
            _ = try await log.append(corrupt, nowMs: 1)
            Issue.record("a corrupt batch was appended")
        } catch let error as LogStoreError {
            #expect(error.code == .corruptBatch)
            #expect(error.message.contains("CRC-32C"))
        }
        do {
            _ = try await log.append(batch(20), nowMs: 1)
            Issue.record("an oversized batch was appended")
        } catch let error as LogStoreError {
            #expect(error.code == .batchTooLarge)
        }
        #expect(log.logEndOffset == 0)
        #expect(log.sizeInBytes == 0)
    }

    @Test func segmentsRollBySizeAndReadsCrossThem() async throws {
        let directory = TemporaryDirectory()
        var configuration = LogConfiguration()
        configuration.segmentBytes = 300
        let log = try openLog(directory, configuration)
        for index in 0..<10 { _ = try await log.append(batch(2, prefix: "b\(index)"), nowMs: 1) }
        #expect(log.segmentCount > 3)
        #expect(try readAll(log).count == 20)
        #expect(try readAll(log, from: 13).map(\.0) == Array(13...19))
    }

    @Test func segmentsRollByAge() async throws {
        let directory = TemporaryDirectory()
        var configuration = LogConfiguration()
        configuration.segmentMs = 1_000
        let log = try openLog(directory, configuration)
        _ = try await log.append(batch(1), nowMs: 10_000)
        _ = try await log.append(batch(1), nowMs: 10_500)
        #expect(log.segmentCount == 1)
        _ = try await log.append(batch(1), nowMs: 11_000)
        #expect(log.segmentCount == 2)
    }

    @Test func retentionByBytesAndTimeDeletesWholeOldestSegmentsAndPersistsTheStart() async throws {
        let directory = TemporaryDirectory()
        var configuration = LogConfiguration()
        configuration.segmentBytes = 200
        let log = try openLog(directory, configuration)
        for index in 0..<6 { _ = try await log.append(batch(1, timestamp: Int64(index) * 1_000), nowMs: 1) }
        let segments = log.segmentCount
        #expect(segments >= 3)
        var timeBased = configuration
        timeBased.retentionMs = 2_500
        log.update(configuration: timeBased)
        let removed = try log.applyRetention(nowMs: 5_000)
        #expect(removed > 0)
        #expect(log.logStartOffset > 0)
        #expect(throws: LogStoreError.self) { try log.read(from: 0, maxBytes: 100) }
        let start = log.logStartOffset
        try log.close()
        let reopened = try openLog(directory, configuration, clean: true)
        #expect(reopened.logStartOffset == start)
        #expect(reopened.logEndOffset == 6)

        var sizeBased = configuration
        sizeBased.retentionBytes = 0
        reopened.update(configuration: sizeBased)
        try reopened.applyRetention(nowMs: 0)
        #expect(reopened.segmentCount == 1, "the active segment is never deleted")
    }

    @Test func deleteRecordsMovesTheStart() async throws {
        let directory = TemporaryDirectory()
        let log = try openLog(directory)
        _ = try await log.append(batch(5), nowMs: 1)
        #expect(try log.deleteRecords(before: 3) == 3)
        #expect(try readAll(log, from: 3).map(\.0) == [3, 4])
        #expect(throws: LogStoreError.self) { try log.deleteRecords(before: 6) }
    }

    @Test func offsetForTimestampFindsTheFirstRecordAtOrAfter() async throws {
        let directory = TemporaryDirectory()
        let log = try openLog(directory)
        _ = try await log.append(batch(3, timestamp: 1_000), nowMs: 1)  // 1000, 1001, 1002
        _ = try await log.append(batch(3, timestamp: 2_000), nowMs: 1)  // 2000, 2001, 2002
        #expect(try log.offset(forTimestamp: 0)?.offset == 0)
        #expect(try log.offset(forTimestamp: 1_001)?.offset == 1)
        #expect(try log.offset(forTimestamp: 1_500)?.offset == 3)
        #expect(try log.offset(forTimestamp: 2_002)?.offset == 5)
        #expect(try log.offset(forTimestamp: 2_003) == nil)
        #expect(try log.maxTimestampOffset()?.timestamp == 2_002)
    }

    @Test func offsetForTimestampLooksInsideCompressedBatches() async throws {
        let directory = TemporaryDirectory()
        let log = try openLog(directory)
        _ = try await log.append(try compressedBatch(.zstd, 4, timestamp: 1_000), nowMs: 1)  // 1000...1003
        #expect(try log.offset(forTimestamp: 1_002)?.offset == 2)
        #expect(try log.offset(forTimestamp: 1_002)?.timestamp == 1_002)
    }

    @Test func fsyncAppendsFromManyWritersAllBecomeDurable() async throws {
        let directory = TemporaryDirectory()
        let log = try openLog(directory)
        try await withThrowingTaskGroup(of: AppendResult.self) { group in
            for writer in 0..<8 {
                group.addTask { try await log.append(batch(1, prefix: "w\(writer)"), nowMs: 1, durability: .fsync) }
            }
            var offsets: [Int64] = []
            for try await result in group { offsets.append(result.baseOffset) }
            #expect(offsets.sorted() == Array(0..<8))
        }
        try await log.waitUntilDurable(offset: 8)
    }
}
