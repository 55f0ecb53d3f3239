import Compression
import KafkaProtocol
import NIOCore

/// Kafka's rule for compacted topics: every record needs a key (compaction keeps the latest
/// value per key). A batch with keyless records is refused as a whole with INVALID_RECORD and,
/// from Produce v8, the index of each offending record.
enum CompactedTopicRecords {
    /// Decompressed records are capped like stored ones: larger regions are left to the log's
    /// own validation.
    static let maxDecompressedSize = 64 << 20

    /// The indexes of records without a key, or nil when the records cannot be read here (the
    /// append's validation then answers for the batch).
    static func keylessRecordIndexes(_ batch: ByteBuffer, header: RecordBatchHeader) -> [Int32]? {
        guard batch.readableBytes >= header.totalSize, header.totalSize >= RecordBatchHeader.size,
              let region = batch.getBytes(at: batch.readerIndex + RecordBatchHeader.size, length: header.totalSize - RecordBatchHeader.size),
              let codec = try? CompressionCodec(batchAttributes: header.attributes),
              let plain = codec == .none ? region : try? codec.decompress(region, maxOutputSize: maxDecompressedSize),
              let records = try? RecordReader.readAll(records: plain, count: header.recordsCount) else { return nil }
        return records.enumerated().filter { $0.element.key == nil }.map { Int32($0.offset) }
    }
}
