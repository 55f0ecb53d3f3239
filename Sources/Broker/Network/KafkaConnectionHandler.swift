import Logging
import NIOCore

/// One client connection: hands each request frame to the router and writes the responses
/// back **in request order** (Kafka clients match responses to requests by order as well as by
/// correlation id), even when a later request finishes first (an acks=all produce waiting for
/// its fsync while a metadata request is answered at once).
final class KafkaConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = IOData

    private let router: RequestRouter
    private var logger: Logger
    /// Responses not yet written, oldest first; nil result while the request is in progress.
    private var pending: [(sequence: UInt64, result: Result<OutgoingFrame?, any Error>?)] = []
    private var nextSequence: UInt64 = 0
    /// Reading stops while this many responses are outstanding, so a client that pipelines
    /// without reading its responses cannot make the broker buffer without bound.
    private let maxPending = 256
    private var readingPaused = false

    init(router: RequestRouter, logger: Logger) {
        self.router = router
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        logger[metadataKey: "peer"] = "\(context.remoteAddress.map { "\($0)" } ?? "?")"
        BrokerMetrics.connections.increment()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        BrokerMetrics.connections.decrement()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var frame = unwrapInboundIn(data)
        let sequence = nextSequence
        nextSequence += 1
        pending.append((sequence, nil))
        let future = router.route(&frame, peer: logger[metadataKey: "peer"].map { "\($0)" } ?? "?", eventLoop: context.eventLoop)
        future.hop(to: context.eventLoop).whenComplete { [self] result in
            if let index = pending.firstIndex(where: { $0.sequence == sequence }) {
                pending[index].result = result
            }
            drain(context: context)
        }
        if pending.count >= maxPending, !readingPaused {
            readingPaused = true
            _ = context.channel.setOption(ChannelOptions.autoRead, value: false)
        }
    }

    private func drain(context: ChannelHandlerContext) {
        var wrote = false
        while let first = pending.first, let result = first.result {
            pending.removeFirst()
            switch result {
            case .success(let response):
                if let response {
                    response.write(to: context)
                    wrote = true
                }
            case .failure(let error):
                logger.warning("closing connection after a bad request", metadata: ["error": "\(error)"])
                if wrote { context.flush() }
                context.close(promise: nil)
                return
            }
        }
        if wrote { context.flush() }
        if readingPaused && pending.count < maxPending / 2 {
            readingPaused = false
            _ = context.channel.setOption(ChannelOptions.autoRead, value: true)
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.warning("closing connection", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            logger.debug("closing idle connection")
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
