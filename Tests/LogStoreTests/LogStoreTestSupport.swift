import Compression
import Foundation
import KafkaProtocol
import Logging
@testable import LogStore

/// A fresh temporary directory, removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-logstore-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
}

let testLogger = Logger(label: "test")
let testFiles = FileHandleCache(capacity: 64)

/// A producer batch of `count` records with keys "k<i>" and values "<prefix>-<i>".
func batch(_ count: Int = 1, prefix: String = "v", keys: [String?]? = nil, timestamp: Int64 = 1_700_000_000_000, values: [String?]? = nil) -> [UInt8] {
    var builder = RecordBatchBuilder(baseTimestamp: timestamp)
    for index in 0..<count {
        let key = keys.map { $0[index] } ?? "k\(index)"
        let value = values.map { $0[index] } ?? "\(prefix)-\(index)"
        builder.append(key: key.map { Array($0.utf8) }, value: value.map { Array($0.utf8) }, timestamp: timestamp + Int64(index))
    }
    return builder.build()
}

/// Opens a partition log in `directory` as a node would.
func openLog(_ directory: TemporaryDirectory, _ configuration: LogConfiguration = LogConfiguration(), clean: Bool = false) throws -> PartitionLog {
    try PartitionLog.open(topic: "t", partition: 0, directory: directory.file("t-0"), configuration: configuration,
                          cleanShutdown: clean, files: testFiles, logger: testLogger).0
}

/// Every record readable from `offset` to the end, as (offset, value string); compressed
/// batches are decompressed, as a consumer would.
func readAll(_ log: PartitionLog, from start: Int64? = nil) throws -> [(Int64, String?)] {
    var result: [(Int64, String?)] = []
    var offset = start ?? log.logStartOffset
    while offset < log.logEndOffset {
        let read = try log.read(from: offset, maxBytes: 1 << 20)
        guard let slice = read.slices.first else { break }
        let bytes = try slice.bytes()
        var position = 0
        var advanced = false
        while position + RecordBatchHeader.size <= bytes.count {
            let header = bytes[position...].withUnsafeBytes { RecordBatchHeader(parsing: $0)! }
            guard position + header.totalSize <= bytes.count else { break }
            let codec = try CompressionCodec(batchAttributes: header.attributes)
            let region = try codec.decompress(Array(bytes[(position + 61)..<(position + header.totalSize)]), maxOutputSize: 1 << 24)
            for record in try RecordReader.readAll(records: region, count: header.recordsCount)
            where header.baseOffset + Int64(record.offsetDelta) >= offset {
                result.append((header.baseOffset + Int64(record.offsetDelta), record.value.map { String(decoding: $0, as: UTF8.self) }))
            }
            offset = header.lastOffset + 1
            position += header.totalSize
            advanced = true
        }
        if !advanced { break }
    }
    return result
}

/// The same batch as `batch(...)`, with its records region compressed by `codec`.
func compressedBatch(_ codec: CompressionCodec, _ count: Int, prefix: String = "v", keys: [String]? = nil, timestamp: Int64 = 1_700_000_000_000) throws -> [UInt8] {
    let plain = batch(count, prefix: prefix, keys: keys, timestamp: timestamp)
    let header = plain.withUnsafeBytes { RecordBatchHeader(parsing: $0)! }
    let region = try codec.compress(Array(plain[RecordBatchHeader.size...]))
    return RecordBatchBuilder.assemble(
        baseOffset: 0, partitionLeaderEpoch: -1, attributes: Int16(codec.rawValue), lastOffsetDelta: header.lastOffsetDelta,
        baseTimestamp: header.baseTimestamp, maxTimestamp: header.maxTimestamp, producerID: -1, producerEpoch: -1,
        baseSequence: -1, recordsCount: header.recordsCount, recordsRegion: region)
}
