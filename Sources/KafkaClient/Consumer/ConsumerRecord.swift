/// Whether a record's timestamp was set by its producer or by the broker.
public enum TimestampType: Sendable, Equatable {
    case createTime
    case logAppendTime
}

/// A record read from a partition.
public struct ConsumerRecord: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// Milliseconds since the epoch.
    public var timestamp: Int64
    public var timestampType: TimestampType
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [RecordHeader]
    /// The leader epoch of the batch, -1 when the broker did not set one.
    public var leaderEpoch: Int32

    public var topicPartition: TopicPartition { TopicPartition(topic, partition) }
}

/// Whether a consumer sees records of open and aborted transactions (`isolation.level`).
public enum IsolationLevel: Int8, Sendable {
    /// Everything up to the high watermark, aborted transactions included.
    case readUncommitted = 0
    /// Only committed records, up to the last stable offset.
    case readCommitted = 1
}

/// Where a consumer starts when a partition has no committed offset, or its offset is out of
/// range (`auto.offset.reset`).
public enum OffsetReset: Sendable, Equatable {
    case earliest
    case latest
    /// Fail the partition's reads with OFFSET_OUT_OF_RANGE.
    case none
}
