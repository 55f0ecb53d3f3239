import Foundation
import Testing
@testable import LogStore

@Suite struct FileHandleCacheTests {
    @Test func manyPartitionsStayWithinTheCapAndKeepWorking() async throws {
        let directory = TemporaryDirectory()
        let manager = LogManager(dataDirectory: directory.path, defaults: LogConfiguration(), maxOpenFiles: 8, logger: testLogger)
        _ = try await manager.loadAll()
        for partition in 0..<20 {
            let log = try manager.createPartitionLog(topic: "many", partition: Int32(partition))
            _ = try await log.append(batch(2, prefix: "p\(partition)"), nowMs: 1)
            #expect(manager.files.openCount <= 8)
        }
        // Every partition is still readable and appendable after its files were evicted.
        for partition in 0..<20 {
            let log = try #require(manager.partitionLog(topic: "many", partition: Int32(partition)))
            #expect(try readAll(log).map(\.1) == ["p\(partition)-0", "p\(partition)-1"])
            #expect(try await log.append(batch(1), nowMs: 1).baseOffset == 2)
            #expect(manager.files.openCount <= 8)
        }
        try await manager.close()
    }

    @Test func aSliceKeepsAnEvictedFileReadable() async throws {
        let directory = TemporaryDirectory()
        let cache = FileHandleCache(capacity: 4)
        let log = try PartitionLog.open(topic: "t", partition: 0, directory: directory.file("t-0"),
                                        configuration: LogConfiguration(), cleanShutdown: false, files: cache, logger: testLogger).0
        _ = try await log.append(batch(3), nowMs: 1)
        let slice = try log.read(from: 0, maxBytes: 1 << 20).slices[0]
        for index in 0..<10 { _ = try cache.open(directory.file("other-\(index)"), create: true) }
        #expect(cache.openCount == 4)
        #expect(try slice.bytes().count == slice.length)
    }
}
