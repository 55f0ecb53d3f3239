import KafkaClient

/// `admin VERB ...`: one KafkaAdmin call, printed as tab-separated lines.
func runAdmin(_ options: Options, bootstrap: String) async throws {
    let admin = try KafkaAdmin(configuration: KafkaClientConfiguration(bootstrap: bootstrap))
    defer { Task { await admin.close() } }
    let verb = options.positional.first ?? ""
    let name = options["topic"] ?? options["group"] ?? ""
    do {
        switch verb {
        case "create-topic":
            try await admin.createTopics([NewTopic(name: name, partitions: Int32(options.int("partitions", 1)))])
            print("created\t\(name)")
        case "delete-topic":
            try await admin.deleteTopics([name])
            print("deleted\t\(name)")
        case "list-topics":
            for topic in try await admin.listTopics() { print(topic) }
        case "describe-topic":
            for topic in try await admin.describeTopics([name]) {
                for partition in topic.partitions { print("\(topic.name)\t\(partition.partition)\t\(partition.leader)") }
            }
        case "add-partitions":
            try await admin.createPartitions(name, totalCount: Int32(options.int("partitions", 1)))
            print("partitions\t\(name)\t\(options.int("partitions", 1))")
        case "set-config":
            try await admin.alterConfigs(.topic(name), [.set(options["key"] ?? "", options["value"] ?? "")])
            for entry in try await admin.describeConfigs(.topic(name), keys: [options["key"] ?? ""]) { print("\(entry.name)\t\(entry.value ?? "-")") }
        case "describe-cluster":
            let cluster = try await admin.describeCluster()
            print("cluster\t\(cluster.clusterID)\t\(cluster.controllerID)")
            for broker in cluster.brokers { print("broker\t\(broker.nodeID)\t\(broker.host)\t\(broker.port)") }
        case "list-groups":
            for group in try await admin.listGroups() { print("\(group.groupID)\t\(group.protocolType)\t\(group.state)") }
        case "describe-group":
            for group in try await admin.describeGroups([name]) {
                print("group\t\(group.groupID)\t\(group.state)\t\(group.assignmentStrategy)\t\(group.members.count)")
            }
            for lag in try await admin.groupLag(name) {
                print("lag\t\(lag.partition.topic)\t\(lag.partition.partition)\t\(lag.committedOffset ?? -1)\t\(lag.endOffset)\t\(lag.lag ?? -1)")
            }
        case "reset-offsets":
            let topic = options["reset-topic"] ?? ""
            let partitions = try await admin.describeTopics([topic])[0].partitions.map { TopicPartition(topic, $0.partition) }
            let targets = try await admin.offsets(partitions, at: options["to"] == "latest" ? .latest : .earliest)
            try await admin.resetOffsets(name, to: targets)
            for (partition, offset) in targets.sorted(by: { $0.key < $1.key }) { print("reset\t\(partition)\t\(offset)") }
        case "delete-offsets":
            let topic = options["reset-topic"] ?? ""
            let partitions = try await admin.describeTopics([topic])[0].partitions.map { TopicPartition(topic, $0.partition) }
            try await admin.deleteOffsets(name, partitions)
            print("deleted-offsets\t\(name)\t\(topic)")
        case "delete-group":
            try await admin.deleteGroups([name])
            print("deleted-group\t\(name)")
        default:
            fail("unknown admin verb '\(verb)'")
        }
    } catch {
        fail("\(verb): \(error)")
    }
}
