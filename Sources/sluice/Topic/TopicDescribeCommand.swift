import ArgumentParser
import KafkaClient
import OrderedJSON

struct TopicDescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show a topic's partitions (leader, replicas, in-sync replicas) and configuration.",
        discussion: """
            Prints what kafka-topics --describe prints: a summary line with the partition \
            count, replication factor and the configs set on the topic, then one line per \
            partition. --all-configs lists every config with its source (default or set). \
            --output json prints one object per topic:

              {"name":..., "internal":false, "partition_count":3, "replication_factor":1,
               "partitions":[{"partition":0,"leader":1,"leader_epoch":0,"replicas":[1],"isr":[1],"error":null}],
               "configs":{"cleanup.policy":"delete", ...}}

            "configs" holds the configs set on the topic, or every config with --all-configs.

            Examples:
              sluice topic describe orders
              sluice topic describe orders payments --all-configs
              sluice topic describe orders --output json | jq '.partitions[].leader'
            """)

    @OptionGroup var client: ClientOptions
    @Argument(help: "Topic names.") var topics: [String]
    @Flag(help: "Show every configuration key, defaults included.") var allConfigs = false
    @Option(help: "text or json.") var output: OutputFormat = .text

    func run() async throws {
        try await client.withAdmin { admin in
            let out = OutputBuffer()
            for topic in try await admin.describeTopics(topics) {
                let configs = try await admin.describeConfigs(.topic(topic.name))
                let shown = allConfigs ? configs : configs.filter { !$0.isDefault }
                switch output {
                case .json: JSONOut.emit(Self.json(topic, shown), to: out)
                case .text: out.line(Self.text(topic, shown, all: allConfigs))
                }
            }
            out.flush()
        }
    }

    static func json(_ topic: TopicMetadata, _ configs: [ConfigEntry]) -> JSONValue {
        .object([
            ("name", .string(topic.name)),
            ("internal", .bool(topic.isInternal)),
            ("partition_count", JSONOut.int(topic.partitions.count)),
            ("replication_factor", JSONOut.int(topic.partitions.first?.replicas.count ?? 0)),
            ("partitions", .array(topic.partitions.map { partition in
                .object([
                    ("partition", JSONOut.int(partition.partition)),
                    ("leader", JSONOut.int(partition.leader)),
                    ("leader_epoch", JSONOut.int(partition.leaderEpoch)),
                    ("replicas", JSONOut.ints(partition.replicas)),
                    ("isr", JSONOut.ints(partition.inSyncReplicas)),
                    ("error", partition.error == .none ? .null : .string(partition.error.description)),
                ])
            })),
            ("configs", .object(configs.map { ($0.name, JSONOut.string($0.value)) })),
        ])
    }

    static func text(_ topic: TopicMetadata, _ configs: [ConfigEntry], all: Bool) -> String {
        let replication = topic.partitions.first?.replicas.count ?? 0
        var lines: [String] = []
        let set = configs.filter { !$0.isDefault }.map { "\($0.name)=\($0.value ?? "(sensitive)")" }.joined(separator: ",")
        lines.append("Topic: \(topic.name)\tPartitionCount: \(topic.partitions.count)\tReplicationFactor: \(replication)\tConfigs: \(set)")
        for partition in topic.partitions {
            let ids = { (nodes: [Int32]) in nodes.map(String.init).joined(separator: ",") }
            var line = "\tTopic: \(topic.name)\tPartition: \(partition.partition)\tLeader: \(partition.leader < 0 ? "none" : String(partition.leader))"
            line += "\tReplicas: \(ids(partition.replicas))\tIsr: \(ids(partition.inSyncReplicas))"
            if partition.error != .none { line += "\tError: \(partition.error)" }
            lines.append(line)
        }
        if all {
            var table = TextTable("CONFIG", "VALUE", "SOURCE")
            for entry in configs { table.add([entry.name, entry.value ?? "(sensitive)", entry.isDefault ? "default" : "topic"]) }
            lines.append("")
            lines.append(table.render())
        }
        return lines.joined(separator: "\n")
    }
}

struct TopicAlterConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alter-config",
        abstract: "Set or remove topic configuration keys.",
        discussion: """
            Incremental, like kafka-configs --alter --add-config/--delete-config and \
            rpk topic alter-config --set/--delete: keys not named keep their values. A deleted \
            key falls back to the broker's default.

            Examples:
              sluice topic alter-config orders --set retention.ms=3600000 --set segment.bytes=104857600
              sluice topic alter-config orders --delete retention.ms
              sluice topic alter-config orders --set cleanup.policy=compact --dry-run
            """)

    @OptionGroup var client: ClientOptions
    @Argument(help: "Topic names.") var topics: [String]
    @Option(name: .customLong("set"), help: ArgumentHelp("Set a key, repeatable.", valueName: "key=value")) var sets: [String] = []
    @Option(name: .customLong("delete"), help: ArgumentHelp("Remove a key (back to the default), repeatable.", valueName: "key")) var deletes: [String] = []
    @Flag(help: "Ask the broker to validate the change without applying it.") var dryRun = false

    func validate() throws {
        if sets.isEmpty && deletes.isEmpty { throw ValidationError("nothing to change: give --set key=value or --delete key") }
    }

    func run() async throws {
        var changes: [ConfigChange] = []
        for entry in sets {
            let (key, value) = try parseAssignment(entry, option: "--set")
            changes.append(.set(key, value))
        }
        changes += deletes.map { .delete($0) }
        try await client.withAdmin { admin in
            for topic in topics {
                try await admin.alterConfigs(.topic(topic), changes, validateOnly: dryRun)
                print(dryRun ? "topic \(topic): the change is valid" : "altered the configuration of topic \(topic)")
            }
        }
    }
}
