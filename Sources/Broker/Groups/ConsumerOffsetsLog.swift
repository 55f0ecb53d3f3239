import Cluster
import GroupCoordination
import KafkaProtocol
import LogStore
import NIOCore

/// The compacted internal topic `__consumer_offsets`: committed offsets and group metadata in
/// Kafka's own record formats, each group in partition `abs(hash(group)) % count`.
struct ConsumerOffsetsLog: Sendable {
    static let topic = "__consumer_offsets"
    let topics: TopicManager
    let partitionCount: Int32

    /// Creates the topic on first start (compacted, as in Kafka).
    func ensureTopic() throws {
        guard topics.metadata.topics[Self.topic] == nil else { return }
        do {
            try topics.createTopic(name: Self.topic, partitions: partitionCount, replicationFactor: 1,
                                   configs: ["cleanup.policy": "compact", "segment.bytes": "104857600"])
        } catch let error as MetadataError where error.code == 36 {
            _ = error
            // Created meanwhile.
        }
    }

    func partition(for group: String) -> Int32 {
        ConsumerOffsetsKey.partition(forGroup: group, partitionCount: Int32(topics.metadata.topics[Self.topic]?.partitions.count ?? Int(partitionCount)))
    }

    /// Appends records of one group as one batch; returns once they are in the page cache.
    func append(_ records: [ConsumerOffsetsRecord], group: String) throws {
        guard !records.isEmpty else { return }
        guard let log = topics.partitionLog(topic: Self.topic, partition: partition(for: group)) else {
            throw LogStoreError(.closed, "__consumer_offsets is not open")
        }
        let now = Broker.nowMs()
        var builder = RecordBatchBuilder(baseTimestamp: now)
        for record in records {
            let key = record.encodedKey()
            builder.append(key: Array(key.readableBytesView), value: record.value.map { Array($0.readableBytesView) })
        }
        let batch = builder.build()
        _ = try batch.withUnsafeBytes { raw throws(LogStoreError) in try log.append(raw, leaderEpoch: 0, nowMs: now) }
    }

    /// Replays every partition: committed offsets into `offsets`, and each group's latest
    /// group-metadata record (tombstones remove it) into `groups`.
    func load(into offsets: inout CommittedOffsets, groups: inout [String: GroupMetadataValue]) throws -> Int {
        var count = 0
        guard let topic = topics.metadata.topics[Self.topic] else { return 0 }
        for partition in topic.partitions {
            guard let log = topics.partitionLog(topic: Self.topic, partition: partition.index) else { continue }
            try log.forEachRecord { _, record in
                guard let keyBytes = record.key else { return }
                var key = ByteBuffer(bytes: keyBytes)
                guard let decoded = try? ConsumerOffsetsKey(from: &key) else { return }
                count += 1
                if case .groupMetadata(let group) = decoded {
                    groups[group] = record.value.flatMap { bytes in
                        var buffer = ByteBuffer(bytes: bytes)
                        return try? GroupMetadataValue(from: &buffer)
                    }
                    return
                }
                try offsets.replay(key: decoded, value: record.value.map { ByteBuffer(bytes: $0) })
            }
        }
        return count
    }
}
