import ArgumentParser

/// `sluice`: the command-line entry point of a node and, later, of the client tools.
@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A schema-aware streaming platform: Kafka-compatible broker and Confluent-compatible schema registry.",
        discussion: """
            Start a node with `sluice serve`; every Kafka client and every Confluent Schema \
            Registry client works with it unchanged. See `sluice help serve`.
            """,
        subcommands: [ServeCommand.self, TopicCommand.self, ProduceCommand.self, ConsumeCommand.self, GroupCommand.self, ClusterCommand.self,
                      SchemaCommand.self, AvroCommand.self, JSONSchemaCommand.self])
}
