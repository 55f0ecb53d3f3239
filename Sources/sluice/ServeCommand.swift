import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import SluiceNode

/// `sluice serve`: run one node in the foreground until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run one Sluice node in the foreground.",
        discussion: """
            Starts the Kafka listener, the schema registry and the admin HTTP port \
            (GET /health, GET /metrics), with data under --data-dir. Settings come from the \
            defaults, then the --config file (Kafka broker property names, key=value), then \
            these flags. SIGTERM or SIGINT drains, flushes every log and exits 0.

            Example:
              sluice serve --data-dir ./data --listen 127.0.0.1:9092
            """)

    @Option(help: ArgumentHelp("Data directory (log.dirs).", valueName: "path"))
    var dataDir: String?

    @Option(help: ArgumentHelp("Kafka listener address (listeners).", valueName: "host:port"))
    var listen: String?

    @Option(help: ArgumentHelp("Address given to clients (advertised.listeners); default: --listen.", valueName: "host:port"))
    var advertise: String?

    @Option(help: ArgumentHelp("Schema registry HTTP address.", valueName: "host:port"))
    var registryListen: String?

    @Option(help: ArgumentHelp("Admin HTTP address: /health, /metrics.", valueName: "host:port"))
    var adminListen: String?

    @Option(help: ArgumentHelp("This node's id (node.id).", valueName: "n"))
    var nodeID: Int32?

    @Option(help: ArgumentHelp("Config file of key=value lines (Kafka broker property names).", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: Logger.Level = .info

    func run() async throws {
        MemoryTuning.keepLargeBuffersOnTheHeap()
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "sluice")
        let configuration: NodeConfiguration
        do {
            configuration = try resolvedConfiguration()
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        do {
            try await Node(configuration: configuration, metrics: registry, logger: logger).run()
        } catch let error as DataDirectoryLockError {
            logger.critical("\(error.message)")
            throw ExitCode(2)
        }
    }

    /// Defaults, then the config file, then the flags.
    func resolvedConfiguration() throws -> NodeConfiguration {
        var configuration = NodeConfiguration()
        if let config {
            try configuration.apply(PropertiesFile.load(path: config))
        }
        if let dataDir { configuration.dataDirectory = dataDir }
        if let listen { configuration.listen = try HostAndPort(parsing: listen, setting: "--listen") }
        if let advertise { configuration.advertise = try HostAndPort(parsing: advertise, setting: "--advertise") }
        if let registryListen {
            configuration.registryListen = try HostAndPort(parsing: registryListen, setting: "--registry-listen")
        }
        if let adminListen { configuration.adminListen = try HostAndPort(parsing: adminListen, setting: "--admin-listen") }
        if let nodeID { configuration.nodeID = nodeID }
        return configuration
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
