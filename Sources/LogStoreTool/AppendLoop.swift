import Foundation
import KafkaProtocol
import Logging
import LogStore

/// The crash test's child: appends numbered batches and reports each acknowledged one.
enum AppendLoop {
    static func run(directory: String, fsync: Bool, count: Int, logger: Logger) async throws {
        let manager = LogManager(dataDirectory: directory, defaults: LogConfiguration(), logger: logger)
        _ = try await manager.loadAll()
        let log = try manager.createPartitionLog(topic: "crash", partition: 0)
        let deadline = Date().addingTimeInterval(60)
        var sequence = 0
        while sequence < count && Date() < deadline {
            let value = Array("sequence \(sequence) ".utf8) + [UInt8](repeating: UInt8(truncatingIfNeeded: sequence), count: 200 + sequence % 700)
            var builder = RecordBatchBuilder(baseTimestamp: Int64(Date().timeIntervalSince1970 * 1000))
            builder.append(key: Array("key-\(sequence % 10)".utf8), value: value)
            let result = try await log.append(builder.build(), nowMs: builder.baseTimestamp, durability: fsync ? .fsync : .pageCache)
            print("ACK \(result.baseOffset) \(sequence) \(CRC32C.checksum(of: value))")
            fflush(nil)  // flushes stdout; naming the C global `stdout` is rejected by Swift 6
            sequence += 1
        }
        try await manager.close()
    }
}
