import Foundation
import KafkaProtocol
import Testing
@testable import LogStore

@Suite struct RecoveryTests {
    /// Appends five batches of two records and closes the log uncleanly; returns the log's size
    /// after each batch.
    private func fiveBatches(in directory: TemporaryDirectory) async throws -> [Int64] {
        let log = try openLog(directory)
        var ends: [Int64] = []
        for index in 0..<5 {
            _ = try await log.append(batch(2, prefix: "b\(index)"), nowMs: 1)
            ends.append(log.sizeInBytes)
        }
        return ends
    }

    /// Opens partition t-0 of `directory` as after a crash.
    private func reopenAfterCrash(_ directory: TemporaryDirectory, configuration: LogConfiguration = LogConfiguration(),
                                  pageCacheSurvived: Bool = false) throws -> (PartitionLog, PartitionLog.LoadReport) {
        try PartitionLog.open(topic: "t", partition: 0, directory: directory.file("t-0"), configuration: configuration,
                              cleanShutdown: false, pageCacheSurvived: pageCacheSurvived, files: testFiles, logger: testLogger)
    }

    private func truncateFile(_ path: String, to size: Int64) {
        let handle = FileHandle(forWritingAtPath: path)!
        handle.truncateFile(atOffset: UInt64(size))
        handle.closeFile()
    }

    /// Both scans (every CRC after a machine crash, the last batch's only when the page cache
    /// survived) cut a torn tail the same way.
    @Test(arguments: [false, true])
    func aTornLastBatchIsCutAtEveryBytePosition(pageCacheSurvived: Bool) async throws {
        let template = TemporaryDirectory()
        let ends = try await fiveBatches(in: template)
        let (four, total) = (ends[3], ends[4])
        let logFile = template.file("t-0/00000000000000000000.log")
        let original = try Data(contentsOf: URL(fileURLWithPath: logFile))
        for cut in four..<total {
            let directory = TemporaryDirectory()
            try FileManager.default.createDirectory(atPath: directory.file("t-0"), withIntermediateDirectories: true)
            try original.prefix(Int(cut)).write(to: URL(fileURLWithPath: directory.file("t-0/00000000000000000000.log")))
            let (log, report) = try reopenAfterCrash(directory, pageCacheSurvived: pageCacheSurvived)
            #expect(report.recovered)
            #expect(report.droppedBytes == cut - four)
            #expect(log.logEndOffset == 8, "cut at \(cut)")
            #expect(try readAll(log).count == 8)
            // The log takes appends again right after the kept batches.
            #expect(try await log.append(batch(1), nowMs: 1).baseOffset == 8)
        }
    }

    @Test func randomGarbageAfterTheLastBatchIsDropped() async throws {
        let directory = TemporaryDirectory()
        let total = try await fiveBatches(in: directory)[4]
        let logFile = directory.file("t-0/00000000000000000000.log")
        var generator = SystemRandomNumberGenerator()
        let garbage = (0..<777).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let handle = FileHandle(forWritingAtPath: logFile)!
        handle.seekToEndOfFile()
        handle.write(Data(garbage))
        handle.closeFile()
        let (log, report) = try reopenAfterCrash(directory)
        #expect(report.droppedBytes == 777)
        #expect(log.sizeInBytes == total)
        #expect(try readAll(log).count == 10)
    }

    /// A flipped bit inside batch `corrupted` (0-based, of five of two records each). In the last batch
    /// both scans drop that batch only. Damage before the tail can only come from the machine
    /// (a process that dies leaves every completed write in the page cache): after a machine
    /// crash the CRC cuts the log at the damaged batch; within the same boot the scan checks
    /// only the last batch's CRC and keeps everything.
    @Test(arguments: [(4, false, Int64(8)), (4, true, Int64(8)), (1, false, Int64(2)), (1, true, Int64(10))])
    func aCorruptedByteInABatch(corrupted: Int, pageCacheSurvived: Bool, endOffset: Int64) async throws {
        let directory = TemporaryDirectory()
        let ends = try await fiveBatches(in: directory)
        let logFile = directory.file("t-0/00000000000000000000.log")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: logFile))
        bytes[Int(ends[corrupted - 1]) + 70] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: logFile))
        let (log, report) = try reopenAfterCrash(directory, pageCacheSurvived: pageCacheSurvived)
        #expect(report.recovered)
        #expect(log.logEndOffset == endOffset)
    }

    /// The segment rolled last may not be synced when the process dies (its sync runs in the
    /// background), so recovery scans it too; a tear in it drops everything after it.
    @Test func aTornRolledSegmentIsCutAndTheSegmentsAfterItDropped() async throws {
        let directory = TemporaryDirectory()
        var configuration = LogConfiguration()
        configuration.segmentBytes = Int64(batch(2, prefix: "b0").count * 2)
        let log = try openLog(directory, configuration)
        for index in 0..<6 { _ = try await log.append(batch(2, prefix: "b\(index)"), nowMs: 1) }
        #expect(log.segmentCount == 3)
        let rolledLast = directory.file("t-0/00000000000000000004.log")
        let size = try FileManager.default.attributesOfItem(atPath: rolledLast)[.size] as! Int64
        truncateFile(rolledLast, to: size - 5)
        let (recovered, report) = try reopenAfterCrash(directory, configuration: configuration)
        #expect(report.recovered)
        #expect(recovered.segmentCount == 2)
        #expect(recovered.logEndOffset == 6)
        #expect(try readAll(recovered).map(\.0) == Array(0..<6))
        #expect(!FileManager.default.fileExists(atPath: directory.file("t-0/00000000000000000008.log")))
        #expect(try await recovered.append(batch(1), nowMs: 1).baseOffset == 6)
    }

    @Test func missingOrCorruptIndexesAreRebuilt() async throws {
        let directory = TemporaryDirectory()
        var configuration = LogConfiguration()
        configuration.indexIntervalBytes = 100
        configuration.segmentBytes = 1_000
        let log = try openLog(directory, configuration)
        for index in 0..<40 { _ = try await log.append(batch(1, prefix: "r\(index)"), nowMs: 1) }
        try log.close()
        let indexFiles = try FileManager.default.contentsOfDirectory(atPath: directory.file("t-0")).filter { $0.hasSuffix(".index") }.sorted()
        #expect(indexFiles.count > 1)
        try FileManager.default.removeItem(atPath: directory.file("t-0/\(indexFiles[0])"))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: directory.file("t-0/\(indexFiles[1])")))
        let reopened = try openLog(directory, configuration, clean: true)
        #expect(reopened.logEndOffset == 40)
        #expect(try readAll(reopened, from: 17).map(\.0) == Array(17..<40))
        let rebuilt = try Data(contentsOf: URL(fileURLWithPath: directory.file("t-0/\(indexFiles[0])")))
        #expect(rebuilt.count > 0 && rebuilt.count % 8 == 0)
    }

    @Test func aCleanShutdownIsLoadedWithoutScanning() async throws {
        let directory = TemporaryDirectory()
        let manager = LogManager(dataDirectory: directory.path, defaults: LogConfiguration(), logger: testLogger)
        _ = try await manager.loadAll()
        let log = try manager.createPartitionLog(topic: "orders-eu", partition: 3)
        _ = try await log.append(batch(4), nowMs: 1)
        try await manager.close()
        #expect(FileManager.default.fileExists(atPath: directory.file(".clean-shutdown")))

        let again = LogManager(dataDirectory: directory.path, defaults: LogConfiguration(), logger: testLogger)
        let report = try await again.loadAll()
        #expect(report == RecoveryReport(partitionCount: 1, recoveredPartitionCount: 0, droppedBytes: 0, cleanShutdown: true))
        #expect(again.partitionLog(topic: "orders-eu", partition: 3)?.logEndOffset == 4)
        #expect(!FileManager.default.fileExists(atPath: directory.file(".clean-shutdown")), "the marker is consumed at start")

        // No close this time: the next start recovers the newest segment.
        let third = LogManager(dataDirectory: directory.path, defaults: LogConfiguration(), logger: testLogger)
        let unclean = try await third.loadAll()
        #expect(!unclean.cleanShutdown)
        // Same boot as the start before (where the kernel has a boot id): only the tail check.
        #expect(unclean.pageCacheSurvived == (BootIdentity.current() != nil))
        #expect(unclean.recoveredPartitionCount == 1)
        #expect(third.partitionLog(topic: "orders-eu", partition: 3)?.logEndOffset == 4)
    }

    @Test func anotherBootsIdMeansAFullScan() async throws {
        let directory = TemporaryDirectory()
        let manager = LogManager(dataDirectory: directory.path, defaults: LogConfiguration(), logger: testLogger)
        _ = try await manager.loadAll()
        _ = try await manager.createPartitionLog(topic: "t", partition: 0).append(batch(2), nowMs: 1)
        let recorded = try String(contentsOfFile: directory.file(".boot-id"), encoding: .utf8)
        #expect(recorded == BootIdentity.current() ?? recorded)
        for stale in ["00000000-0000-0000-0000-000000000000", "", "torn"] {
            try Data(stale.utf8).write(to: URL(fileURLWithPath: directory.file(".boot-id")))
            let next = LogManager(dataDirectory: directory.path, defaults: LogConfiguration(), logger: testLogger)
            let report = try await next.loadAll()
            #expect(!report.pageCacheSurvived, "recorded boot id '\(stale)'")
            #expect(report.recoveredPartitionCount == 1)
            #expect(next.partitionLog(topic: "t", partition: 0)?.logEndOffset == 2)
        }
    }

    @Test(arguments: [("orders-3", "orders", Int32(3)), ("a-b-c-10", "a-b-c", 10), ("x-0", "x", 0)])
    func partitionDirectoriesAreParsedFromTheLastDash(name: String, topic: String, partition: Int32) {
        #expect(PartitionKey(directoryName: name) == PartitionKey(topic: topic, partition: partition))
    }

    @Test(arguments: ["orders", "-3", "orders-x", "orders-", "orders--1x"])
    func otherDirectoriesAreNotPartitions(name: String) {
        #expect(PartitionKey(directoryName: name) == nil)
    }
}
