import Broker
import Foundation
import KafkaProtocol
import LogStore
import SchemaRegistry

/// The registry's store on this node: the compacted, single-partition `_schemas` topic in the
/// local log. The registry acknowledges a write once fdatasync covers it (as acks=all), so a
/// kill -9, or a power cut, loses no acknowledged registration. Every record read or written
/// also feeds the broker's ``RegistrySchemaCatalog``, so its view follows the registry's.
struct SchemasTopicStore: SchemasStore {
    static let topic = "_schemas"
    let topics: TopicManager
    let catalog: RegistrySchemaCatalog

    /// Creates the topic on first start, with Confluent's settings for it.
    func ensureTopic() throws {
        guard topics.metadata.topics[Self.topic] == nil else { return }
        _ = try topics.createTopic(name: Self.topic, partitions: 1, replicationFactor: 1,
                                   configs: ["cleanup.policy": "compact"])
    }

    private func log() throws -> PartitionLog {
        guard let log = topics.partitionLog(topic: Self.topic, partition: 0) else {
            throw LogStoreError(.closed, "\(Self.topic)-0 is not open")
        }
        return log
    }

    func append(key: [UInt8], value: [UInt8]?) async throws -> Int64 {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var builder = RecordBatchBuilder(baseTimestamp: now)
        builder.append(key: key, value: value)
        let position = try await log().append(builder.build(), nowMs: now, durability: .pageCache).lastOffset + 1
        catalog.apply(key: key, value: value)
        return position
    }

    func waitUntilDurable(_ position: Int64) async throws {
        try await log().waitUntilDurable(offset: position)
    }

    func readAll() async throws -> [(key: [UInt8], value: [UInt8]?)] {
        var records: [(key: [UInt8], value: [UInt8]?)] = []
        try log().forEachRecord { _, record in
            guard let key = record.key else { return }
            records.append((key, record.value))
        }
        catalog.replay(records)
        return records
    }
}
