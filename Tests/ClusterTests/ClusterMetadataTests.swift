import Foundation
import Testing
@testable import Cluster

@Suite struct ClusterMetadataTests {
    private func metadata(brokers: Int32 = 1) -> ClusterMetadata {
        ClusterMetadata(
            clusterID: "c", controllerID: 0,
            brokers: (0..<brokers).map { BrokerInfo(nodeID: $0, host: "127.0.0.1", port: 9092 + $0) })
    }

    private let acceptAll: ([String: String]) throws -> Void = { _ in }
    private let topicID = String(repeating: "ab", count: 16)

    @Test func createPlacesPartitionsRoundRobinOverBrokers() throws {
        var cluster = metadata(brokers: 3)
        try cluster.createTopic(name: "t", partitionCount: 4, replicationFactor: 2, configs: ["retention.ms": "1000"],
                                topicID: topicID, validateConfigs: acceptAll)
        let topic = try #require(cluster.topics["t"])
        #expect(topic.partitions.map(\.leader) == [0, 1, 2, 0])
        #expect(topic.partitions.map(\.replicas) == [[0, 1], [1, 2], [2, 0], [0, 1]])
        #expect(topic.partitions.allSatisfy { $0.inSyncReplicas == $0.replicas && $0.leaderEpoch == 0 })
        #expect(topic.configs == ["retention.ms": "1000"])
        #expect(topic.topicIDBytes == [UInt8](repeating: 0xab, count: 16))
    }

    @Test(arguments: [
        ("bad name", Int32(1), Int16(1), Int16(17)),
        ("t", 0, 1, 37),
        ("t", 1, 0, 38),
        ("t", 1, 2, 38),
    ])
    func invalidCreatesGetKafkasCodes(name: String, partitions: Int32, replication: Int16, code: Int16) {
        var cluster = metadata()
        do {
            try cluster.createTopic(name: name, partitionCount: partitions, replicationFactor: replication,
                                    configs: [:], topicID: topicID, validateConfigs: acceptAll)
            Issue.record("an invalid topic was created")
        } catch {
            #expect(error.code == code)
        }
        #expect(cluster.topics.isEmpty)
    }

    @Test func duplicatesCollisionsAndBadConfigsAreRefused() throws {
        var cluster = metadata()
        try cluster.createTopic(name: "a.b", partitionCount: 1, replicationFactor: 1, configs: [:], topicID: topicID, validateConfigs: acceptAll)
        #expect(throws: MetadataError(code: 36, message: "topic 'a.b' already exists")) {
            try cluster.createTopic(name: "a.b", partitionCount: 1, replicationFactor: 1, configs: [:], topicID: topicID, validateConfigs: acceptAll)
        }
        do {
            try cluster.createTopic(name: "a_b", partitionCount: 1, replicationFactor: 1, configs: [:], topicID: topicID, validateConfigs: acceptAll)
            Issue.record("a colliding name was accepted")
        } catch {
            #expect(error.code == 17)
            #expect(error.message.contains("collides"))
        }
        struct Bad: Error, CustomStringConvertible { var description = "retention.ms must be a number" }
        do {
            try cluster.createTopic(name: "c", partitionCount: 1, replicationFactor: 1, configs: ["retention.ms": "x"],
                                    topicID: topicID, validateConfigs: { _ in throw Bad() })
            Issue.record("an invalid config was accepted")
        } catch {
            #expect(error == MetadataError(code: 40, message: "retention.ms must be a number"))
        }
    }

    @Test func partitionsOnlyGrowAndDeleteRemoves() throws {
        var cluster = metadata()
        try cluster.createTopic(name: "t", partitionCount: 2, replicationFactor: 1, configs: [:], topicID: topicID, validateConfigs: acceptAll)
        try cluster.createPartitions(topic: "t", totalCount: 5)
        #expect(cluster.topics["t"]?.partitions.map(\.index) == [0, 1, 2, 3, 4])
        #expect(throws: MetadataError.self) { try cluster.createPartitions(topic: "t", totalCount: 5) }
        #expect(throws: MetadataError.unknownTopic("nope")) { try cluster.createPartitions(topic: "nope", totalCount: 9) }
        try cluster.deleteTopic(name: "t")
        #expect(cluster.topics.isEmpty)
        #expect(throws: MetadataError.unknownTopic("t")) { try cluster.deleteTopic(name: "t") }
    }

    @Test func localStoreRoundTripsAndReplacesAtomically() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-meta-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = LocalMetadataStore(dataDirectory: directory)
        #expect(try store.load() == nil)
        var cluster = metadata()
        try cluster.createTopic(name: "t", partitionCount: 3, replicationFactor: 1, configs: ["cleanup.policy": "compact"],
                                topicID: topicID, validateConfigs: acceptAll)
        try store.save(cluster)
        #expect(try store.load() == cluster)
        try cluster.deleteTopic(name: "t")
        try store.save(cluster)
        #expect(try store.load() == cluster)
        #expect(!FileManager.default.fileExists(atPath: store.path + ".tmp"))
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: store.path))
        #expect(throws: MetadataStoreError.self) { try store.load() }
    }
}
