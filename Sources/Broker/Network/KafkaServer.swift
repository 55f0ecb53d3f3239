import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The Kafka listener: accepts connections on the configured address once the node's logs are
/// loaded, and stops accepting on graceful shutdown.
public struct KafkaServer: Service {
    let host: String
    let port: Int
    let router: RequestRouter
    let configuration: BrokerConfiguration
    let ready: @Sendable () async throws -> Void
    let listening: @Sendable () -> Void
    let logger: Logger

    /// - Parameters:
    ///   - ready: returns once the broker may serve (logs recovered).
    ///   - listening: called once the listener accepts connections.
    public init(host: String, port: Int, router: RequestRouter, configuration: BrokerConfiguration,
                ready: @escaping @Sendable () async throws -> Void, listening: @escaping @Sendable () -> Void = {},
                logger: Logger) {
        self.listening = listening
        self.host = host
        self.port = port
        self.router = router
        self.configuration = configuration
        self.ready = ready
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown { try await ready() }
        let router = self.router
        let logger = self.logger
        let maxFrame = configuration.maxRequestBytes
        let idle = TimeAmount.milliseconds(configuration.connectionsMaxIdleMs)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            // Reads grow up to 4 MiB when the socket keeps them full (large produce frames),
            // so a frame mostly arrives in one read and is sliced from it without a copy.
            .childChannelOption(ChannelOptions.recvAllocator,
                                value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 16 * 1024, maximum: 4 << 20))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(allTimeout: idle),
                        KafkaFrameDecoder(maxFrameSize: maxFrame),
                        KafkaConnectionHandler(router: router, logger: logger),
                    ])
                }
            }
            .bind(host: host, port: port).get()
        logger.info("Kafka listener started", metadata: ["address": "\(host):\(port)"])
        listening()
        try? await gracefulShutdown()
        try await channel.close()
        logger.info("Kafka listener stopped")
    }
}
