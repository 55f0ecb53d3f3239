import Compression
import KafkaProtocol
import NIOCore

/// A header of a produced record.
public struct RecordHeader: Sendable, Equatable {
    public var key: String
    public var value: [UInt8]?

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}

/// Appends records to a RecordBatch v2 being built, straight into one buffer: 61 bytes are
/// kept for the header, each record is encoded after them (sizes computed first, so nothing is
/// encoded twice), and `seal` fills in the header, compresses and computes the CRC. The buffer
/// is reused from batch to batch (`init(reusing:)`), so appending allocates nothing.
struct RecordBatchWriter {
    private(set) var buffer: ByteBuffer
    private(set) var recordCount: Int32 = 0
    private(set) var baseTimestamp: Int64 = 0
    private(set) var maxTimestamp: Int64 = 0

    init(reusing buffer: ByteBuffer) {
        self.buffer = buffer
        self.buffer.clear()
        self.buffer.writeRepeatingByte(0, count: RecordBatchHeader.size)
    }

    /// The batch's size so far, header included.
    var sizeInBytes: Int { buffer.readableBytes }

    /// The bytes a record takes in a batch (its length prefix included), at the largest
    /// deltas, so it is an upper bound of what `append` writes.
    static func maxEncodedSize(key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader]) -> Int {
        var size = 1 + 10 + 5 + 5 + (key?.count ?? 0) + 5 + (value?.count ?? 0) + 5
        for header in headers { size += 10 + header.key.utf8.count + (header.value?.count ?? 0) }
        return size + 5
    }

    /// Appends a record with its absolute timestamp (ms).
    mutating func append(timestamp: Int64, key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader]) {
        if recordCount == 0 {
            baseTimestamp = timestamp
            maxTimestamp = timestamp
        }
        maxTimestamp = max(maxTimestamp, timestamp)
        let timestampDelta = timestamp - baseTimestamp
        let offsetDelta = Int64(recordCount)
        var bodySize = 1 + Self.varintSize(timestampDelta) + Self.varintSize(offsetDelta)
        bodySize += Self.bytesFieldSize(key?.count) + Self.bytesFieldSize(value?.count) + Self.varintSize(Int64(headers.count))
        for header in headers {
            bodySize += Self.bytesFieldSize(header.key.utf8.count) + Self.bytesFieldSize(header.value?.count)
        }
        // One capacity check and direct stores: through ByteBuffer's per-integer writes the
        // varints of a small record cost more than its bytes.
        let size = Self.varintSize(Int64(bodySize)) + bodySize
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { raw in
            var out = RecordCursor(raw)
            out.zigZag(Int64(bodySize))
            out.byte(0)
            out.zigZag(timestampDelta)
            out.zigZag(offsetDelta)
            out.nullableBytes(key)
            out.nullableBytes(value)
            out.zigZag(Int64(headers.count))
            for header in headers {
                var name = header.key
                name.withUTF8 { utf8 in
                    out.zigZag(Int64(utf8.count))
                    out.bytes(UnsafeRawBufferPointer(utf8))
                }
                out.nullableBytes(header.value)
            }
            return out.written
        }
        recordCount += 1
    }

    /// The finished batch: header fields set, records compressed with `codec`, CRC computed.
    /// Without compression the header is written into the writer's own buffer, which is then
    /// the batch (no copy).
    mutating func seal(producerID: Int64, producerEpoch: Int16, baseSequence: Int32, codec: CompressionCodec, allocator: ByteBufferAllocator) throws(CompressionError) -> ByteBuffer {
        if codec == .none {
            Self.fillHeader(&buffer, codec: codec, recordCount: recordCount, baseTimestamp: baseTimestamp, maxTimestamp: maxTimestamp,
                            producerID: producerID, producerEpoch: producerEpoch, baseSequence: baseSequence)
            return buffer
        }
        let compressed = try buffer.withUnsafeReadableBytes { raw throws(CompressionError) in
            try codec.compress(UnsafeRawBufferPointer(rebasing: raw[RecordBatchHeader.size...]))
        }
        var batch = allocator.buffer(capacity: RecordBatchHeader.size + compressed.count)
        batch.writeRepeatingByte(0, count: RecordBatchHeader.size)
        batch.writeBytes(compressed)
        Self.fillHeader(&batch, codec: codec, recordCount: recordCount, baseTimestamp: baseTimestamp, maxTimestamp: maxTimestamp,
                        producerID: producerID, producerEpoch: producerEpoch, baseSequence: baseSequence)
        return batch
    }

    private static func fillHeader(
        _ batch: inout ByteBuffer, codec: CompressionCodec, recordCount: Int32, baseTimestamp: Int64, maxTimestamp: Int64,
        producerID: Int64, producerEpoch: Int16, baseSequence: Int32
    ) {
        let start = batch.readerIndex
        batch.setInteger(Int64(0), at: start)
        batch.setInteger(Int32(batch.readableBytes - RecordBatchHeader.logOverhead), at: start + 8)
        batch.setInteger(Int32(-1), at: start + 12)
        batch.setInteger(UInt8(2), at: start + 16)
        batch.setInteger(Int16(codec.rawValue), at: start + 21)
        batch.setInteger(max(recordCount - 1, 0), at: start + 23)
        batch.setInteger(baseTimestamp, at: start + 27)
        batch.setInteger(maxTimestamp, at: start + 35)
        batch.setInteger(producerID, at: start + 43)
        batch.setInteger(producerEpoch, at: start + 51)
        batch.setInteger(baseSequence, at: start + 53)
        batch.setInteger(recordCount, at: start + 57)
        let crc = batch.withUnsafeReadableBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[RecordBatchHeader.crcCoveredFrom...]))
        }
        batch.setInteger(crc, at: start + RecordBatchHeader.crcOffset)
    }

    static func varintSize(_ value: Int64) -> Int {
        var raw = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var size = 1
        while raw >= 0x80 {
            raw >>= 7
            size += 1
        }
        return size
    }

    private static func bytesFieldSize(_ count: Int?) -> Int {
        guard let count else { return 1 }
        return varintSize(Int64(count)) + count
    }
}

/// Writes a record's fields into memory that `RecordBatchWriter.append` sized exactly.
private struct RecordCursor {
    let raw: UnsafeMutableRawBufferPointer
    private(set) var written = 0

    init(_ raw: UnsafeMutableRawBufferPointer) {
        self.raw = raw
    }

    mutating func byte(_ value: UInt8) {
        raw[written] = value
        written += 1
    }

    /// A zigzag LEB128 varint, as inside records.
    mutating func zigZag(_ value: Int64) {
        var rest = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while rest >= 0x80 {
            byte(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        byte(UInt8(rest))
    }

    mutating func bytes(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        (raw.baseAddress! + written).copyMemory(from: base, byteCount: bytes.count)
        written += bytes.count
    }

    mutating func nullableBytes(_ value: [UInt8]?) {
        guard let value else { return zigZag(-1) }
        zigZag(Int64(value.count))
        value.withUnsafeBytes { bytes($0) }
    }
}
