/// The 61-byte header of a RecordBatch v2 (magic 2), the unit producers send, the log stores
/// and Fetch returns. Integers are big-endian. Layout (offset: field):
///
///     0 baseOffset int64        12 partitionLeaderEpoch int32   17 crc uint32 (CRC-32C of [21, end))
///     8 batchLength int32       16 magic int8                   21 attributes int16
///    23 lastOffsetDelta int32   27 baseTimestamp int64          35 maxTimestamp int64
///    43 producerId int64        51 producerEpoch int16          53 baseSequence int32
///    57 recordsCount int32      61 records (compressed as one blob when attributes say so)
public struct RecordBatchHeader: Sendable, Equatable {
    public static let size = 61
    /// baseOffset + batchLength: the bytes before `batchLength` counts.
    public static let logOverhead = 12
    public static let crcOffset = 17
    /// The CRC covers everything from the attributes to the end of the batch.
    public static let crcCoveredFrom = 21

    public var baseOffset: Int64
    public var batchLength: Int32
    public var partitionLeaderEpoch: Int32
    public var magic: Int8
    public var crc: UInt32
    public var attributes: Int16
    public var lastOffsetDelta: Int32
    public var baseTimestamp: Int64
    public var maxTimestamp: Int64
    public var producerID: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    public var recordsCount: Int32

    /// The whole batch's size in bytes.
    public var totalSize: Int { Int(batchLength) + Self.logOverhead }
    /// The offset of the batch's last record.
    public var lastOffset: Int64 { baseOffset + Int64(lastOffsetDelta) }
    /// Codec id (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd).
    public var compressionCodecID: Int { Int(attributes & 0x07) }
    public var isLogAppendTime: Bool { attributes & 0x08 != 0 }
    public var isTransactional: Bool { attributes & 0x10 != 0 }
    public var isControl: Bool { attributes & 0x20 != 0 }
    /// Whether the batch comes from an idempotent or transactional producer.
    public var hasProducerID: Bool { producerID >= 0 }

    /// Reads the header fields from the start of `bytes` without validating them.
    /// - Returns: nil when fewer than 61 bytes are given.
    public init?(parsing bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.size else { return nil }
        baseOffset = bytes.bigEndian(Int64.self, at: 0)
        batchLength = bytes.bigEndian(Int32.self, at: 8)
        partitionLeaderEpoch = bytes.bigEndian(Int32.self, at: 12)
        magic = Int8(bitPattern: bytes[16])
        crc = bytes.bigEndian(UInt32.self, at: 17)
        attributes = bytes.bigEndian(Int16.self, at: 21)
        lastOffsetDelta = bytes.bigEndian(Int32.self, at: 23)
        baseTimestamp = bytes.bigEndian(Int64.self, at: 27)
        maxTimestamp = bytes.bigEndian(Int64.self, at: 35)
        producerID = bytes.bigEndian(Int64.self, at: 43)
        producerEpoch = bytes.bigEndian(Int16.self, at: 51)
        baseSequence = bytes.bigEndian(Int32.self, at: 53)
        recordsCount = bytes.bigEndian(Int32.self, at: 57)
    }
}

extension UnsafeRawBufferPointer {
    @inlinable
    func bigEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        T(bigEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

extension UnsafeMutableRawBufferPointer {
    @inlinable
    func storeBigEndian<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: T.self)
    }
}
