import Compression
import KafkaProtocol

/// The records of a stored batch, decompressed when needed (compaction, ListOffsets by time).
enum StoredBatchRecords {
    /// Larger than any batch a producer may send (`message.max.bytes` tops at 2 GiB in theory,
    /// but a records region beyond this is refused rather than allocated).
    static let maxDecompressedSize = 256 << 20

    /// The records of `batch` (header included), or nil for control batches and records that
    /// cannot be read.
    static func records(of batch: [UInt8], header: RecordBatchHeader) -> [Record]? {
        guard !header.isControl, batch.count >= RecordBatchHeader.size else { return nil }
        let region = Array(batch[RecordBatchHeader.size...])
        guard let codec = try? CompressionCodec(batchAttributes: header.attributes) else { return nil }
        guard let plain = codec == .none ? region : try? codec.decompress(region, maxOutputSize: maxDecompressedSize) else {
            return nil
        }
        return try? RecordReader.readAll(records: plain, count: header.recordsCount)
    }

    /// The records region for `records`, compressed with the batch's codec.
    static func region(_ records: [Record], header: RecordBatchHeader) throws(LogStoreError) -> [UInt8] {
        var region: [UInt8] = []
        for record in records { record.encode(into: &region) }
        do {
            return try CompressionCodec(batchAttributes: header.attributes).compress(region)
        } catch {
            throw LogStoreError(.corruptBatch, "cannot recompress a batch at offset \(header.baseOffset): \(error)")
        }
    }
}
