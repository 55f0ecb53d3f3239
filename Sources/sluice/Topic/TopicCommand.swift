import ArgumentParser
import KafkaClient
import OrderedJSON

/// `sluice topic ...`: what `kafka-topics.sh` and `kafka-configs.sh --entity-type topics` do.
struct TopicCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topic",
        abstract: "Create, list, describe, delete and reconfigure topics.",
        discussion: """
            The kafka-topics.sh and rpk topic verbs. Every subcommand takes --bootstrap \
            (env SLUICE_BOOTSTRAP, default 127.0.0.1:9092) and --profile; list and describe \
            print --output json with stable keys for scripts.

            Examples:
              sluice topic create orders --partitions 6 --config retention.ms=86400000
              sluice topic list
              sluice topic describe orders
              sluice topic alter-config orders --set cleanup.policy=compact --delete retention.ms
              sluice topic add-partitions orders --total 12
              sluice topic delete orders
            """,
        subcommands: [TopicCreateCommand.self, TopicListCommand.self, TopicDescribeCommand.self, TopicDeleteCommand.self,
                      TopicAlterConfigCommand.self, TopicAddPartitionsCommand.self])
}

struct TopicCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create topics.",
        discussion: """
            Without --partitions or --replicas the broker's num.partitions and \
            default.replication.factor apply. Fails (exit 1) if a topic exists, unless \
            --if-not-exists.

            Examples:
              sluice topic create orders --partitions 6
              sluice topic create events --config cleanup.policy=compact --config min.compaction.lag.ms=60000
              sluice topic create orders --partitions 3 --dry-run
            """)

    @OptionGroup var client: ClientOptions
    @Argument(help: "Topic names.") var topics: [String]
    @Option(name: [.short, .long], help: "Number of partitions (default: the broker's num.partitions).") var partitions: Int32 = -1
    @Option(name: [.short, .long], help: "Replication factor (default: the broker's default.replication.factor).") var replicas: Int16 = -1
    @Option(name: [.short, .long], help: ArgumentHelp("A topic configuration, repeatable.", valueName: "key=value")) var config: [String] = []
    @Flag(help: "Succeed when a topic already exists.") var ifNotExists = false
    @Flag(help: "Ask the broker to validate the request without creating anything.") var dryRun = false

    func run() async throws {
        var configs: [String: String] = [:]
        for entry in config {
            let (key, value) = try parseAssignment(entry, option: "--config")
            configs[key] = value
        }
        try await client.withAdmin { admin in
            for name in topics {
                do {
                    try await admin.createTopics([NewTopic(name: name, partitions: partitions, replicationFactor: replicas, configs: configs)],
                                                 validateOnly: dryRun)
                    print(dryRun ? "topic \(name) would be created" : "created topic \(name)")
                } catch let error as KafkaClientError where error.code == .topicAlreadyExists && ifNotExists {
                    print("topic \(name) already exists")
                }
            }
        }
    }
}

struct TopicListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List topics with their partition counts and replication factors.",
        discussion: """
            Examples:
              sluice topic list
              sluice topic list --internal --output json
            """)

    @OptionGroup var client: ClientOptions
    @Flag(name: .customLong("internal"), help: "Include internal topics (__consumer_offsets, _schemas).") var includeInternal = false
    @Option(help: "text or json.") var output: OutputFormat = .text

    func run() async throws {
        try await client.withAdmin { admin in
            let names = try await admin.listTopics(includeInternal: includeInternal)
            let topics = names.isEmpty ? [] : try await admin.describeTopics(names)
            let out = OutputBuffer()
            switch output {
            case .json:
                JSONOut.emit(.array(topics.map { topic in
                    .object([("name", .string(topic.name)), ("partitions", JSONOut.int(topic.partitions.count)),
                             ("replicas", JSONOut.int(topic.partitions.first?.replicas.count ?? 0)), ("internal", .bool(topic.isInternal))])
                }), to: out)
            case .text:
                var table = TextTable("NAME", "PARTITIONS", "REPLICAS")
                for topic in topics { table.add([topic.name, String(topic.partitions.count), String(topic.partitions.first?.replicas.count ?? 0)]) }
                out.line(table.render())
            }
            out.flush()
        }
    }
}

struct TopicDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete topics and all their records.",
        discussion: """
            Examples:
              sluice topic delete orders
              sluice topic delete old-1 old-2 --if-exists
            """)

    @OptionGroup var client: ClientOptions
    @Argument(help: "Topic names.") var topics: [String]
    @Flag(help: "Succeed when a topic does not exist.") var ifExists = false

    func run() async throws {
        try await client.withAdmin { admin in
            for name in topics {
                do {
                    try await admin.deleteTopics([name])
                    print("deleted topic \(name)")
                } catch let error as KafkaClientError where error.code == .unknownTopicOrPartition && ifExists {
                    print("topic \(name) does not exist")
                }
            }
        }
    }
}

struct TopicAddPartitionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-partitions",
        abstract: "Add partitions to a topic.",
        discussion: """
            --total sets the new partition count (kafka-topics --alter --partitions N); \
            --add adds that many (rpk topic add-partitions -n N). Partitions can only grow; keyed \
            records map to different partitions afterwards.

            Examples:
              sluice topic add-partitions orders --total 12
              sluice topic add-partitions orders --add 2
            """)

    @OptionGroup var client: ClientOptions
    @Argument(help: "The topic.") var topic: String
    @Option(help: "The new total number of partitions.") var total: Int32?
    @Option(help: "How many partitions to add.") var add: Int32?

    func validate() throws {
        guard (total == nil) != (add == nil) else { throw ValidationError("give exactly one of --total and --add") }
        if let add, add <= 0 { throw ValidationError("--add must be positive") }
    }

    func run() async throws {
        try await client.withAdmin { admin in
            let current = try await admin.describeTopics([topic])[0].partitions.count
            let target = total ?? Int32(current) + (add ?? 0)
            try await admin.createPartitions(topic, totalCount: target)
            print("topic \(topic): \(current) -> \(target) partitions")
        }
    }
}
