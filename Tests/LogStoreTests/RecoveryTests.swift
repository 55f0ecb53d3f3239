import Foundation
import KafkaProtocol
import Testing
@testable import LogStore

@Suite struct RecoveryTests {
    /// Appends five batches and closes the log uncleanly; returns the size after four batches.
    private func fiveBatches(in directory: TemporaryDirectory) async throws -> (sizeAfterFour: Int64, total: Int64) {
        let log = try openLog(directory)
        for index in 0..<4 { _ = try await log.append(batch(2, prefix: "b\(index)"), nowMs: 1) }
        let four = log.sizeInBytes
        _ = try await log.append(batch(2, prefix: "b4"), nowMs: 1)
        return (four, log.sizeInBytes)
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
        let (four, total) = try await fiveBatches(in: template)
        let logFile = template.file("t-0/00000000000000000000.log")
        let original = try Data(contentsOf: URL(fileURLWithPath: logFile))
        for cut in four..<total {
            let directory = TemporaryDirectory()
            try FileManager.default.createDirectory(atPath: directory.file("t-0"), withIntermediateDirectories: true)
            try original.prefix(Int(cut)).write(to: URL(fileURLWithPath: directory.file("t-0/00000000000000000000.log")))
            let (log, report) = try PartitionLog.open(topic: "t", partition: 0, directory: directory.file("t-0"),
                                                      configuration: LogConfiguration(), cleanShutdown: false,
                                                      pageCacheSurvived: pageCacheSurvived, files: testFiles, logger: testLogger)
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
        let (_, total) = try await fiveBatches(in: directory)
        let logFile = directory.file("t-0/00000000000000000000.log")
        var generator = SystemRandomNumberGenerator()
        let garbage = (0..<777).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let handle = FileHandle(forWritingAtPath: logFile)!
        handle.seekToEndOfFile()
        handle.write(Data(garbage))
        handle.closeFile()
        let (log, report) = try PartitionLog.open(topic: "t", partition: 0, directory: directory.file("t-0"),
                                                  configuration: LogConfiguration(), cleanShutdown: false, files: testFiles, logger: testLogger)
        #expect(report.droppedBytes == 777)
        #expect(log.sizeInBytes == total)
        #expect(try readAll(log).count == 10)
    }

    @Test(arguments: [false, true])
    func aCorruptedByteInsideTheLastBatchDropsThatBatchOnly(pageCacheSurvived: Bool) async throws {
        let directory = TemporaryDirectory()
        let (four, _) = try await fiveBatches(in: directory)
        let logFile = directory.file("t-0/00000000000000000000.log")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: logFile))
        bytes[Int(four) + 70] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: logFile))
        let (log, _) = try PartitionLog.open(topic: "t", partition: 0, directory: directory.file("t-0"),
                                             configuration: LogConfiguration(), cleanShutdown: false,
                                             pageCacheSurvived: pageCacheSurvived, files: testFiles, logger: testLogger)
        #expect(log.logEndOffset == 8)
    }

    /// Damage before the tail can only come from the machine (a process that dies leaves every
    /// completed write in the page cache): after a machine crash a bad CRC in the second batch
    /// cuts the log there; within the same boot the scan reads only headers up to the last batch.
    @Test(arguments: [(false, Int64(2)), (true, Int64(10))])
    func aCorruptedEarlierBatchIsFoundByTheFullScanOnly(pageCacheSurvived: Bool, endOffset: Int64) async throws {
        let directory = TemporaryDirectory()
        let log = try openLog(directory)
        _ = try await log.append(batch(2, prefix: "b0"), nowMs: 1)
        let one = log.sizeInBytes
        for index in 1..<5 { _ = try await log.append(batch(2, prefix: "b\(index)"), nowMs: 1) }
        let logFile = directory.file("t-0/00000000000000000000.log")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: logFile))
        bytes[Int(one) + 70] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: logFile))
        let (recovered, report) = try PartitionLog.open(topic: "t", partition: 0, directory: directory.file("t-0"),
                                                        configuration: LogConfiguration(), cleanShutdown: false,
                                                        pageCacheSurvived: pageCacheSurvived, files: testFiles, logger: testLogger)
        #expect(report.recovered)
        #expect(recovered.logEndOffset == endOffset)
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
        let (recovered, report) = try PartitionLog.open(topic: "t", partition: 0, directory: directory.file("t-0"),
                                                        configuration: configuration, cleanShutdown: false, files: testFiles, logger: testLogger)
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
