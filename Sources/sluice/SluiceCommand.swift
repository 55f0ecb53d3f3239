import ArgumentParser

/// `sluice`: the command-line entry point of a node and of the client tools.
@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A schema-aware streaming platform: Kafka-compatible broker and Confluent-compatible schema registry.",
        discussion: """
            Start a node with `sluice serve`; every Kafka client and every Confluent Schema \
            Registry client works with it unchanged. See `sluice help serve`.

            The client verbs (topic, produce, consume, group, cluster, schema) work against \
            any Kafka-compatible cluster and Confluent-compatible registry. They find them by \
            --bootstrap / --registry, else SLUICE_BOOTSTRAP / SLUICE_REGISTRY, else the profile \
            file (--profile, SLUICE_PROFILE or ~/.config/sluice/profile: bootstrap=..., \
            registry=... lines), else 127.0.0.1:9092 and http://127.0.0.1:8081. Errors go to \
            stderr with exit status 1 (64 for usage errors); --output json is stable for scripts.

            Examples:
              sluice serve --data-dir ./data
              sluice topic create orders --partitions 3
              sluice produce orders --key-separator : < orders.txt
              sluice consume orders --from beginning --format '%k %s\\n' --exit-at-end
              echo '{"id": 1}' | sluice produce orders --value-schema order.avsc
              sluice group describe billing
              sluice cluster info
            """,
        subcommands: [ServeCommand.self, TopicCommand.self, ProduceCommand.self, ConsumeCommand.self, GroupCommand.self, ClusterCommand.self,
                      SchemaCommand.self, AvroCommand.self, JSONSchemaCommand.self])
}
