import Foundation
import KafkaClient
import Serde

/// Where the examples connect and what they read: `SLUICE_BOOTSTRAP` (default
/// 127.0.0.1:9092) and `SLUICE_REGISTRY` (default http://127.0.0.1:8081), as `make serve`
/// listens; the schemas come from the repository's `schemas/` folder.
public enum ExampleEnvironment {
    public static var bootstrap: String {
        ProcessInfo.processInfo.environment["SLUICE_BOOTSTRAP"] ?? "127.0.0.1:9092"
    }

    public static var registryURL: String {
        ProcessInfo.processInfo.environment["SLUICE_REGISTRY"] ?? "http://127.0.0.1:8081"
    }

    /// The first command-line argument, else `fallback`.
    public static func topic(default fallback: String) -> String {
        CommandLine.arguments.dropFirst().first { !$0.hasPrefix("--") } ?? fallback
    }

    public static func flag(_ name: String) -> Bool {
        CommandLine.arguments.contains(name)
    }

    /// A file of the repository's `schemas/` folder (found from this source file, so the
    /// examples run from any directory).
    public static func schemaText(_ name: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("schemas").appendingPathComponent(name), encoding: .utf8)
    }

    /// A consumer assigned every partition of `topic` from the beginning.
    public static func consumerFromBeginning(_ topic: String) async throws -> KafkaConsumer {
        let consumer = try KafkaConsumer(configuration: ConsumerConfiguration(bootstrap: bootstrap))
        let admin = try KafkaAdmin(configuration: KafkaClientConfiguration(bootstrap: bootstrap))
        let partitions = try await admin.describeTopics([topic]).flatMap { metadata in
            metadata.partitions.map { TopicPartition(topic, $0.partition) }
        }
        await admin.close()
        try await consumer.assign(partitions)
        try await consumer.seekToBeginning(partitions)
        return consumer
    }

    /// One JSON object per line, keys sorted, for people and for the tests that read it.
    public static func printJSON(_ object: [String: Any]) {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
