import Compression
import Foundation
import KafkaProtocol
import Testing
@testable import LogStore

@Suite struct CompactionTests {
    private func compactedLog(_ directory: TemporaryDirectory) throws -> PartitionLog {
        var configuration = LogConfiguration()
        configuration.cleanupPolicy = [.compact]
        configuration.segmentBytes = 400
        configuration.deleteRetentionMs = 1_000
        return try openLog(directory, configuration)
    }

    @Test func keepsTheLatestValuePerKeyAndKeepsOffsets() async throws {
        let directory = TemporaryDirectory()
        let log = try compactedLog(directory)
        for round in 0..<5 {
            _ = try await log.append(batch(3, prefix: "r\(round)", keys: ["a", "b", "c"], timestamp: 10_000), nowMs: 1)
        }
        _ = try await log.append(batch(1, prefix: "tail", keys: ["z"], timestamp: 10_000), nowMs: 1)
        let before = try readAll(log)
        let report = try #require(try log.compactIfDirty(nowMs: 10_000, force: true))
        #expect(report.recordsRemoved > 0)
        let after = try readAll(log)
        // Every surviving record keeps its offset; only the last value of a, b, c is left before
        // the active segment, and nothing in the active segment changed.
        let byOffset = Dictionary(uniqueKeysWithValues: before.map { ($0.0, $0.1) })
        for (offset, value) in after { #expect(byOffset[offset] == value) }
        let values = after.compactMap(\.1)
        #expect(values.filter { $0.hasPrefix("r0") }.isEmpty)
        #expect(values.contains("tail-0"))
        #expect(after.count < before.count)
        #expect(log.logEndOffset == 16)
        // Reads from an offset that was removed start at the next one (a gap).
        let gap = try #require(before.map(\.0).first { offset in !after.contains { $0.0 == offset } })
        let read = try readAll(log, from: gap)
        #expect(read.first.map { $0.0 > gap } == true)
    }

    @Test func tombstonesGoOnlyAfterDeleteRetention() async throws {
        let directory = TemporaryDirectory()
        let log = try compactedLog(directory)
        _ = try await log.append(batch(2, keys: ["a", "b"], timestamp: 5_000), nowMs: 1)
        _ = try await log.append(batch(1, keys: ["a"], timestamp: 5_000, values: [nil]), nowMs: 1)
        for _ in 0..<6 { _ = try await log.append(batch(1, keys: ["c"], timestamp: 5_000), nowMs: 1) }
        try log.compactIfDirty(nowMs: 5_500, force: true)
        var values = try readAll(log)
        #expect(values.contains { $0.0 == 2 && $0.1 == nil }, "a young tombstone stays")
        #expect(!values.contains { $0.0 == 0 }, "the value it deletes goes")
        try log.compactIfDirty(nowMs: 7_000, force: true)
        values = try readAll(log)
        #expect(!values.contains { $0.0 == 2 }, "an old tombstone goes")
        #expect(values.contains { $0.0 == 1 })
    }

    @Test(arguments: [CompressionCodec.gzip, .snappy, .lz4, .zstd])
    func compressedBatchesAreCompactedAndStayCompressed(codec: CompressionCodec) async throws {
        let directory = TemporaryDirectory()
        let log = try compactedLog(directory)
        for round in 0..<4 {
            _ = try await log.append(try compressedBatch(codec, 3, prefix: "r\(round)", keys: ["a", "b", "c"]), nowMs: 1)
        }
        _ = try await log.append(batch(1, keys: ["z"]), nowMs: 1)
        let report = try #require(try log.compactIfDirty(nowMs: 1, force: true))
        #expect(report.recordsRemoved > 0)
        let values = try readAll(log).compactMap(\.1)
        #expect(!values.contains("r0-0"))
        #expect(values.contains("r3-0") || log.segmentCount > 1)
        let first = try log.read(from: 0, maxBytes: 1 << 20).slices[0].bytes()
        #expect(first.withUnsafeBytes { RecordBatchHeader(parsing: $0)!.compressionCodecID } == Int(codec.rawValue))
    }

    @Test func aDeleteOnlyLogIsNeverCompacted() async throws {
        let directory = TemporaryDirectory()
        var configuration = LogConfiguration()
        configuration.segmentBytes = 200
        let log = try openLog(directory, configuration)
        for _ in 0..<5 { _ = try await log.append(batch(1, keys: ["same"]), nowMs: 1) }
        #expect(try log.compactIfDirty(nowMs: 1, force: true) == nil)
    }

    @Test func interruptedSwapsAreCompletedAndHalfCleanedFilesRemoved() async throws {
        let directory = TemporaryDirectory()
        let log = try compactedLog(directory)
        for round in 0..<4 { _ = try await log.append(batch(3, prefix: "r\(round)", keys: ["a", "b", "c"]), nowMs: 1) }
        try log.close()
        let partition = directory.file("t-0")
        let first = (partition as NSString).appendingPathComponent("00000000000000000000")
        // A crash mid-clean: a .cleaned file (incomplete) and a .swap of segment 0 that holds
        // only its last batch.
        let original = try Data(contentsOf: URL(fileURLWithPath: first + ".log"))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: first + ".log.cleaned"))
        let lastBatchStart = original.count - batch(3, prefix: "r0", keys: ["a", "b", "c"]).count
        var swap = Array(original[lastBatchStart...])
        // Keep the batch's real offsets: it is the segment's last batch.
        swap.withUnsafeMutableBytes { raw in
            let header = RecordBatchHeader(parsing: UnsafeRawBufferPointer(raw))!
            RecordBatchRewrite.assign(baseOffset: header.baseOffset, leaderEpoch: header.partitionLeaderEpoch, in: raw)
        }
        try Data(swap).write(to: URL(fileURLWithPath: first + ".log.swap"))
        let reopened = try PartitionLog.open(topic: "t", partition: 0, directory: partition,
                                             configuration: LogConfiguration(), cleanShutdown: true, files: testFiles, logger: testLogger).0
        let names = try FileManager.default.contentsOfDirectory(atPath: partition)
        #expect(!names.contains { $0.hasSuffix(".cleaned") || $0.hasSuffix(".swap") })
        #expect(try Data(contentsOf: URL(fileURLWithPath: first + ".log")) == Data(swap))
        #expect(reopened.logEndOffset == 12)
    }
}
