import Compression
import KafkaProtocol
import NIOCore

/// A topic's `compression.type`: `producer` (the default: batches are stored as sent) or a codec
/// the broker converts each batch to, as Kafka does.
enum TopicCompression {
    static let names: [String: CompressionCodec?] = [
        "producer": nil, "uncompressed": CompressionCodec.none, "gzip": .gzip, "snappy": .snappy, "lz4": .lz4, "zstd": .zstd,
    ]

    /// The codec batches of a topic must be stored with, or nil to keep the producer's.
    static func target(_ configs: [String: String]) -> CompressionCodec? {
        guard let name = configs["compression.type"] else { return nil }
        return names[name] ?? nil
    }

    /// The batch with its records recompressed with `codec` (header fields kept, the length,
    /// codec bits and CRC-32C rewritten). Throws when the records cannot be read.
    static func convert(_ batch: ByteBuffer, header: RecordBatchHeader, to codec: CompressionCodec) throws -> ByteBuffer {
        let headerSize = RecordBatchHeader.size
        guard batch.readableBytes >= header.totalSize,
              var prefix = batch.getBytes(at: batch.readerIndex, length: headerSize),
              let region = batch.getBytes(at: batch.readerIndex + headerSize, length: header.totalSize - headerSize) else {
            throw KafkaProtocolError(.truncated, "a batch shorter than its length")
        }
        let plain = try CompressionCodec(batchAttributes: header.attributes).decompress(region, maxOutputSize: 256 << 20)
        let converted = try codec.compress(plain)
        // attributes: low three bits are the codec; batchLength counts from partitionLeaderEpoch.
        let attributes = (header.attributes & ~0x07) | Int16(codec.rawValue)
        prefix[21] = UInt8(truncatingIfNeeded: attributes >> 8)
        prefix[22] = UInt8(truncatingIfNeeded: attributes)
        let batchLength = UInt32(headerSize - 12 + converted.count)
        for index in 0..<4 { prefix[8 + index] = UInt8(truncatingIfNeeded: batchLength >> (24 - 8 * UInt32(index))) }
        var covered = Array(prefix[21...])
        covered += converted
        let crc = CRC32C.checksum(of: covered)
        for index in 0..<4 { prefix[17 + index] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(index))) }
        var out = ByteBufferAllocator().buffer(capacity: headerSize + converted.count)
        out.writeBytes(prefix)
        out.writeBytes(converted)
        return out
    }
}
