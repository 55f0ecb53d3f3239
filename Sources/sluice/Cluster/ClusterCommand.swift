import ArgumentParser
import KafkaClient
import OrderedJSON

/// `sluice cluster ...`: the cluster as a whole.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Show the cluster: its id, controller and brokers.",
        subcommands: [ClusterInfoCommand.self])
}

struct ClusterInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print the cluster id, the controller and every broker.",
        discussion: """
            Like kcat -L's broker list and rpk cluster info. With --output json:
              {"cluster_id":"...","controller":1,"brokers":[{"id":1,"host":"127.0.0.1","port":9092}]}

            Examples:
              sluice cluster info
              sluice cluster info --bootstrap broker1:9092 --output json
            """)

    @OptionGroup var client: ClientOptions
    @Option(help: "text or json.") var output: OutputFormat = .text

    func run() async throws {
        try await client.withAdmin { admin in
            let cluster = try await admin.describeCluster()
            let out = OutputBuffer()
            switch output {
            case .json:
                JSONOut.emit(.object([
                    ("cluster_id", .string(cluster.clusterID)),
                    ("controller", JSONOut.int(cluster.controllerID)),
                    ("brokers", .array(cluster.brokers.map {
                        .object([("id", JSONOut.int($0.nodeID)), ("host", .string($0.host)), ("port", JSONOut.int($0.port))])
                    })),
                ]), to: out)
            case .text:
                out.line("CLUSTER")
                out.line("=======")
                out.line("id          \(cluster.clusterID)")
                out.line("controller  \(cluster.controllerID)")
                out.line("")
                out.line("BROKERS")
                out.line("=======")
                var table = TextTable("ID", "HOST", "PORT", "")
                for broker in cluster.brokers {
                    table.add([String(broker.nodeID), broker.host, String(broker.port), broker.nodeID == cluster.controllerID ? "(controller)" : ""])
                }
                out.line(table.render())
            }
            out.flush()
        }
    }
}
