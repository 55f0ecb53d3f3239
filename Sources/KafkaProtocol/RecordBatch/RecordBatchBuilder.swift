/// Builds an uncompressed RecordBatch v2, as a producer would (baseOffset 0, offset deltas
/// 0..n-1). Used by tests, tools and the log cleaner; the Swift producer has its own fast path.
public struct RecordBatchBuilder: Sendable {
    public var baseOffset: Int64 = 0
    public var partitionLeaderEpoch: Int32 = -1
    public var attributes: Int16 = 0
    public var baseTimestamp: Int64
    public var producerID: Int64 = -1
    public var producerEpoch: Int16 = -1
    public var baseSequence: Int32 = -1
    public private(set) var records: [Record] = []
    private var maxTimestamp: Int64

    public init(baseTimestamp: Int64) {
        self.baseTimestamp = baseTimestamp
        self.maxTimestamp = baseTimestamp
    }

    /// Adds a record at the next offset delta, with an absolute timestamp.
    public mutating func append(key: [UInt8]?, value: [UInt8]?, timestamp: Int64? = nil, headers: [Record.Header] = []) {
        let time = timestamp ?? baseTimestamp
        maxTimestamp = max(maxTimestamp, time)
        records.append(Record(timestampDelta: time - baseTimestamp, offsetDelta: Int32(records.count), key: key, value: value, headers: headers))
    }

    /// Adds a record keeping its own offset delta (the cleaner keeps offsets, leaving gaps).
    public mutating func append(_ record: Record, absoluteTimestamp: Int64) {
        maxTimestamp = max(maxTimestamp, absoluteTimestamp)
        var copy = record
        copy.timestampDelta = absoluteTimestamp - baseTimestamp
        records.append(copy)
    }

    /// The batch bytes with a correct CRC.
    public func build() -> [UInt8] {
        var body: [UInt8] = []
        for record in records { record.encode(into: &body) }
        return Self.assemble(
            baseOffset: baseOffset, partitionLeaderEpoch: partitionLeaderEpoch, attributes: attributes,
            lastOffsetDelta: records.last?.offsetDelta ?? 0, baseTimestamp: baseTimestamp, maxTimestamp: maxTimestamp,
            producerID: producerID, producerEpoch: producerEpoch, baseSequence: baseSequence,
            recordsCount: Int32(records.count), recordsRegion: body)
    }

    /// A batch around an already encoded (possibly compressed) records region.
    public static func assemble(
        baseOffset: Int64, partitionLeaderEpoch: Int32, attributes: Int16, lastOffsetDelta: Int32,
        baseTimestamp: Int64, maxTimestamp: Int64, producerID: Int64, producerEpoch: Int16,
        baseSequence: Int32, recordsCount: Int32, recordsRegion: [UInt8]
    ) -> [UInt8] {
        var batch = [UInt8](repeating: 0, count: RecordBatchHeader.size)
        batch += recordsRegion
        batch.withUnsafeMutableBytes { raw in
            raw.storeBigEndian(baseOffset, at: 0)
            raw.storeBigEndian(Int32(raw.count - RecordBatchHeader.logOverhead), at: 8)
            raw.storeBigEndian(partitionLeaderEpoch, at: 12)
            raw[16] = 2
            raw.storeBigEndian(attributes, at: 21)
            raw.storeBigEndian(lastOffsetDelta, at: 23)
            raw.storeBigEndian(baseTimestamp, at: 27)
            raw.storeBigEndian(maxTimestamp, at: 35)
            raw.storeBigEndian(producerID, at: 43)
            raw.storeBigEndian(producerEpoch, at: 51)
            raw.storeBigEndian(baseSequence, at: 53)
            raw.storeBigEndian(recordsCount, at: 57)
            RecordBatchRewrite.recomputeCRC(in: raw)
        }
        return batch
    }
}
