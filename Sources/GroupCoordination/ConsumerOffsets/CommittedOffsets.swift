import NIOCore

/// A topic partition named by topic and index.
public struct TopicPartition: Sendable, Hashable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)-\(partition)" }
}

/// One `__consumer_offsets` record to append: a key and a value, nil for a tombstone.
public struct ConsumerOffsetsRecord: Sendable, Equatable {
    public var key: ConsumerOffsetsKey
    public var value: ByteBuffer?

    public init(key: ConsumerOffsetsKey, value: ByteBuffer?) {
        self.key = key
        self.value = value
    }

    public func encodedKey() -> ByteBuffer {
        var buffer = ByteBuffer()
        key.encode(into: &buffer)
        return buffer
    }
}

/// The committed offsets of the groups one coordinator owns: the view materialized from its
/// `__consumer_offsets` partitions. Pure: the caller appends the records this returns to the
/// log, and replays the log through `replay` on start.
public struct CommittedOffsets: Sendable {
    private var byGroup: [String: [TopicPartition: OffsetCommitValue]] = [:]

    public init() {}

    // MARK: Loading

    /// Applies one record read back from `__consumer_offsets`, in log order. Group-metadata
    /// records are not offsets and are ignored here.
    public mutating func replay(key: ConsumerOffsetsKey, value: ByteBuffer?) throws {
        guard case .offsetCommit(let group, let topic, let partition) = key else { return }
        let topicPartition = TopicPartition(topic: topic, partition: partition)
        guard var value else {
            remove(group: group, topicPartition)
            return
        }
        byGroup[group, default: [:]][topicPartition] = try OffsetCommitValue(from: &value)
    }

    // MARK: Reading

    /// The committed offset of one partition, nil when there is none (OffsetFetch answers -1).
    public func committed(group: String, _ topicPartition: TopicPartition) -> OffsetCommitValue? {
        byGroup[group]?[topicPartition]
    }

    /// Every committed offset of a group.
    public func committed(group: String) -> [TopicPartition: OffsetCommitValue] {
        byGroup[group] ?? [:]
    }

    /// The groups that have committed offsets.
    public var groups: Dictionary<String, [TopicPartition: OffsetCommitValue]>.Keys { byGroup.keys }

    // MARK: Writing

    /// Records the commits and returns the records to append (apply them only once appended:
    /// the caller calls `apply(_:)` after the write succeeded, so a failed append changes nothing).
    public func commitRecords(group: String, offsets: [TopicPartition: OffsetCommitValue]) -> [ConsumerOffsetsRecord] {
        offsets.sorted { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }.map { entry in
            var value = ByteBuffer()
            entry.value.encode(into: &value)
            return ConsumerOffsetsRecord(
                key: .offsetCommit(group: group, topic: entry.key.topic, partition: entry.key.partition),
                value: value)
        }
    }

    /// Tombstones deleting a group's offsets for the given partitions (OffsetDelete,
    /// DeleteGroups), or for all of them when `partitions` is nil.
    public func deletionRecords(group: String, partitions: [TopicPartition]? = nil) -> [ConsumerOffsetsRecord] {
        let targets = partitions ?? committed(group: group).keys.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        return targets.filter { byGroup[group]?[$0] != nil }.map {
            ConsumerOffsetsRecord(key: .offsetCommit(group: group, topic: $0.topic, partition: $0.partition), value: nil)
        }
    }

    /// Applies records that were appended to the log.
    public mutating func apply(_ records: [ConsumerOffsetsRecord]) throws {
        for record in records {
            try replay(key: record.key, value: record.value)
        }
    }

    // MARK: Retention

    /// Tombstones for offsets past `offsets.retention.minutes`, with Kafka's rule: offsets of a
    /// group with members never expire; those of an empty group expire `retentionMs` after it
    /// became empty (`emptySince`), or, for a group that never had members (standalone
    /// consumers committing directly), `retentionMs` after each commit. An explicit expire
    /// timestamp from an old OffsetCommit wins.
    public func expiredRecords(group: String, hasMembers: Bool, emptySince: Int64?, nowMs: Int64, retentionMs: Int64) -> [ConsumerOffsetsRecord] {
        guard !hasMembers, let offsets = byGroup[group] else { return [] }
        let expired = offsets.filter { _, value in
            if let expire = value.expireTimestamp { return nowMs >= expire }
            let base = emptySince ?? value.commitTimestamp
            return nowMs - base >= retentionMs
        }
        return deletionRecords(group: group, partitions: Array(expired.keys))
    }

    private mutating func remove(group: String, _ topicPartition: TopicPartition) {
        byGroup[group]?[topicPartition] = nil
        if byGroup[group]?.isEmpty == true { byGroup[group] = nil }
    }
}
