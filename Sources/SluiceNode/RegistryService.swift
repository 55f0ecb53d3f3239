import Hummingbird
import Logging
import SchemaRegistry
import ServiceLifecycle

/// The schema registry as a part of the node: its HTTP port opens at once (answering 50002
/// "still reading" until ready), then, once the logs are recovered, `_schemas` is replayed and
/// the node's health counts the registry as ready.
struct RegistryService: Service {
    let address: HostAndPort
    let store: SchemasTopicStore
    let readiness: Readiness
    let health: NodeHealth
    let logger: Logger

    func run() async throws {
        let registry = SchemaRegistry(store: store, logger: logger)
        let application = RegistryServer.application(
            host: address.host, port: address.port,
            handler: RegistryRequestHandler(registry: registry), logger: logger)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                await readiness.wait()
                try store.ensureTopic()
                try await registry.load()
                health.ready("registry")
            }
            group.addTask {
                try await application.run()
            }
        }
    }
}
