// swift-tools-version: 6.1
//
// Sluice: a Kafka-compatible broker, a Confluent-compatible schema registry and Avro / JSON
// Schema serializers. The targets are layered (see docs/architecture.md): C system libraries,
// then pure cores without I/O, then I/O, then services, then the CLI. Dependencies point one way.
import PackageDescription

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // MARK: C libraries (module map + shim header; each imported by exactly one Swift target)
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CAvro", pkgConfig: "avro-c", providers: [.apt(["libavro-dev", "libjansson-dev", "libsnappy-dev", "zlib1g-dev"])]),
        // The CRC-32C instruction, which Swift cannot emit directly.
        .target(name: "CCRC32C"),
        // Page-cache hints for the log (sync_file_range, posix_fadvise); no-ops off Linux.
        .target(name: "CPageCache"),

        // MARK: Pure cores (no sockets, clocks or files)
        .target(
            name: "KafkaProtocol",
            dependencies: ["CCRC32C", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(name: "BrokerCore"),
        .target(name: "Cluster"),
        .target(name: "OrderedJSON"),
        .target(name: "RegistryCore", dependencies: ["OrderedJSON"]),
        .target(name: "Avro", dependencies: ["OrderedJSON", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "JSONSchema", dependencies: ["OrderedJSON"]),
        // Swift source for Avro schemas (`sluice avro codegen`): text in, text out.
        .target(name: "AvroCodegen", dependencies: ["Avro", "OrderedJSON"]),
        .target(name: "GroupCoordination", dependencies: [.product(name: "NIOCore", package: "swift-nio")]),

        // MARK: I/O
        // Avro Object Container Files (the one importer of CAvro).
        .target(name: "AvroFile", dependencies: ["Avro", "CAvro"]),
        .target(
            name: "Compression",
            dependencies: ["CZstd", "CLZ4", "CSnappy", "CZlib", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "LogStore",
            dependencies: [
                "KafkaProtocol",
                "CPageCache",
                "Compression",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),

        .target(
            name: "KafkaClient",
            dependencies: [
                "KafkaProtocol", "Compression",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),

        // Serializers in Confluent's wire format and the schema registry client (never the Kafka client).
        .target(
            name: "Serde",
            dependencies: [
                "Avro", "JSONSchema", "OrderedJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),

        // Typed producers and consumers: the Kafka client with Serde's serializers (the one place they meet).
        .target(name: "TypedKafka", dependencies: ["KafkaClient", "Serde"]),

        // MARK: Services
        .target(
            name: "Broker",
            dependencies: [
                "KafkaProtocol", "LogStore", "Cluster", "BrokerCore", "Compression", "GroupCoordination",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "SchemaRegistry",
            dependencies: [
                "RegistryCore", "Avro", "JSONSchema", "OrderedJSON",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .target(
            name: "SluiceNode",
            dependencies: [
                "LogStore",
                "Broker",
                "SchemaRegistry",
                "KafkaProtocol",
                // The broker's schema catalog (RegistrySchemaCatalog) compiles payload checks.
                "BrokerCore", "RegistryCore", "Avro", "JSONSchema", "OrderedJSON",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),

        // MARK: The CLI and tools
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceNode",
                "Avro",
                "AvroCodegen",
                "AvroFile",
                "JSONSchema",
                // The client commands (topic, produce, consume, group, cluster, schema).
                "KafkaClient",
                "Serde",
                "OrderedJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "sluice-avro-bench", dependencies: ["Avro"], path: "Sources/AvroBench"),
        .executableTarget(name: "sluice-jsonschema-bench", dependencies: ["JSONSchema", "OrderedJSON"], path: "Sources/JSONSchemaBench"),
        .executableTarget(name: "sluice-serde-check", dependencies: ["Serde", "Avro", "OrderedJSON"], path: "Sources/SerdeCheck"),
        .executableTarget(name: "sluice-client-check", dependencies: ["KafkaClient"], path: "Sources/SluiceClientCheck"),
        .executableTarget(name: "sluice-typed-bench", dependencies: ["TypedKafka", "KafkaClient", "Serde", "Avro"], path: "Sources/TypedBench"),
        // Runnable examples (examples/README.md): `swift run example-typed-producer` and so on.
        .target(name: "ExampleSupport", dependencies: ["KafkaClient", "Serde"], path: "examples/ExampleSupport"),
        .executableTarget(name: "example-typed-producer", dependencies: ["ExampleSupport", "TypedKafka", "KafkaClient", "Serde"], path: "examples/typed-producer"),
        .executableTarget(name: "example-evolving-consumer", dependencies: ["ExampleSupport", "TypedKafka", "KafkaClient", "Serde", "Avro"], path: "examples/evolving-consumer"),
        .executableTarget(name: "example-json-orders", dependencies: ["ExampleSupport", "TypedKafka", "KafkaClient", "Serde"], path: "examples/json-orders"),
        .executableTarget(name: "example-broker-validation", dependencies: ["ExampleSupport", "TypedKafka", "KafkaClient", "Serde"], path: "examples/broker-validation"),
        .target(name: "ProtocolGenCore"),
        .executableTarget(name: "ProtocolGen", dependencies: ["ProtocolGenCore"], exclude: ["README.md"]),
        .executableTarget(
            name: "sluice-logstore-tool",
            dependencies: ["LogStore", "KafkaProtocol", .product(name: "Logging", package: "swift-log")],
            path: "Sources/LogStoreTool"
        ),

        // MARK: Tests
        .testTarget(name: "KafkaProtocolTests", dependencies: ["KafkaProtocol"]),
        .testTarget(name: "CompressionTests", dependencies: ["Compression"]),
        .testTarget(name: "LogStoreTests", dependencies: ["LogStore", "Compression"]),
        .testTarget(name: "AvroFileTests", dependencies: ["AvroFile", "Avro"]),
        .testTarget(name: "SluiceNodeTests", dependencies: ["SluiceNode", "LogStore"]),
        .testTarget(name: "GroupCoordinationTests", dependencies: ["GroupCoordination"]),
        .testTarget(name: "BrokerCoreTests", dependencies: ["BrokerCore"]),
        .testTarget(name: "ClusterTests", dependencies: ["Cluster"]),
        .testTarget(name: "RegistryCoreTests", dependencies: ["RegistryCore"]),
        .testTarget(name: "OrderedJSONTests", dependencies: ["OrderedJSON"]),
        .testTarget(name: "AvroTests", dependencies: ["Avro", "OrderedJSON"]),
        .testTarget(name: "AvroCodegenTests", dependencies: ["AvroCodegen", "Avro"], exclude: ["Schemas"]),
        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema", "OrderedJSON"]),
        .testTarget(name: "SchemaRegistryTests", dependencies: ["SchemaRegistry", "RegistryCore", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "KafkaClientTests", dependencies: ["KafkaClient", "KafkaProtocol", "Compression", .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(name: "BrokerTests", dependencies: ["Broker", .product(name: "NIOEmbedded", package: "swift-nio")]),
        .testTarget(name: "ProtocolGenTests", dependencies: ["ProtocolGenCore"]),
        .testTarget(name: "SerdeTests", dependencies: ["Serde", "Avro", "OrderedJSON"]),
    ]
)
