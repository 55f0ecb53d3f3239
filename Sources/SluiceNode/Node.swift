import Broker
import Logging
import LogStore
import Prometheus
import ServiceLifecycle

/// One Sluice node: every long-running part as a `Service` in one `ServiceGroup`.
///
/// Start-up order is: lock the data directory (before anything reads or writes it), then run the
/// services. SIGTERM or SIGINT shuts the group down gracefully in reverse order: the HTTP ports
/// stop taking requests first, then the logs are flushed and marked clean, and `run()` returns.
public struct Node: Sendable {
    public let configuration: NodeConfiguration
    let metrics: PrometheusCollectorRegistry
    let logger: Logger

    /// - Parameters:
    ///   - configuration: the resolved configuration (defaults, file, flags).
    ///   - metrics: the registry that the process bootstrapped swift-metrics with; `/metrics` emits it.
    ///   - logger: the root logger.
    public init(configuration: NodeConfiguration, metrics: PrometheusCollectorRegistry, logger: Logger) {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
    }

    /// Runs until a shutdown signal has been handled or a part fails.
    public func run() async throws {
        // Validate before the lock: a rejected configuration must not create or touch the data.
        let logDefaults = try LogConfiguration(properties: configuration.logDefaults)
        let lock = try DataDirectoryLock(directory: configuration.dataDirectory)
        let health = NodeHealth(parts: ["kafka", "registry"])
        let manager = LogManager(
            dataDirectory: configuration.dataDirectory,
            defaults: logDefaults,
            maxOpenFiles: configuration.maxOpenFiles,
            writeBehind: configuration.writeBehind,
            logger: Logger(label: "sluice.log"))
        var brokerConfiguration = configuration.broker
        brokerConfiguration.nodeID = configuration.nodeID
        brokerConfiguration.advertisedHost = configuration.advertisedAddress.host
        brokerConfiguration.advertisedPort = Int32(configuration.advertisedAddress.port)
        brokerConfiguration.logDefaults = logDefaults
        let topics = try TopicManager(logs: manager, configuration: brokerConfiguration, logger: Logger(label: "sluice.broker"))
        let schemaCatalog = RegistrySchemaCatalog()
        let broker = Broker(topics: topics, configuration: brokerConfiguration, logger: Logger(label: "sluice.broker"),
                            schemaCatalog: schemaCatalog)
        let readiness = Readiness()
        let logs = LogStoreService(manager: manager, health: health, readiness: readiness,
                                   afterLoad: {
                                       try topics.openAllLogs()
                                       try broker.load()
                                   }, logger: Logger(label: "sluice.log"))
        let kafka = KafkaServer(
            host: configuration.listen.host, port: configuration.listen.port,
            router: RequestRouter(broker: broker, logger: Logger(label: "sluice.broker")),
            configuration: brokerConfiguration, ready: { await readiness.wait() },
            listening: { health.ready("kafka") }, logger: Logger(label: "sluice.broker"))
        let registry = RegistryService(
            address: configuration.registryListen, store: SchemasTopicStore(topics: topics, catalog: schemaCatalog),
            readiness: readiness, health: health, logger: Logger(label: "sluice.registry"))
        let admin = AdminServer.application(
            address: configuration.adminListen, health: health, metrics: metrics, broker: broker,
            logger: Logger(label: "sluice.admin"))

        logger.info("starting", metadata: [
            "node_id": "\(configuration.nodeID)",
            "data_dir": "\(configuration.dataDirectory)",
            "kafka": "\(configuration.listen)",
            "registry": "\(configuration.registryListen)",
            "admin": "\(configuration.adminListen)",
        ])
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: logs, successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup, serviceName: "logs"),
                .init(service: kafka, successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup, serviceName: "kafka-listener"),
                .init(service: registry, successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup, serviceName: "registry-http"),
                .init(service: admin, successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup, serviceName: "admin-http"),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        logger.info("stopped cleanly")
        withExtendedLifetime(lock) {}
    }
}
