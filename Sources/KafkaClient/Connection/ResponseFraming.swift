import KafkaProtocol
import NIOCore

/// Cuts the byte stream from a broker into response frames (``FrameSplitter``: a 4-byte size,
/// checked before anything is buffered for it, then that many bytes, gathered with one copy
/// when a large fetch response spans reads).
final class ResponseFrameDecoder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let splitter: FrameSplitter
    private var failed = false

    init(maxFrameSize: Int) {
        // At least 4 bytes: the correlation id. A client has few connections, each reading
        // frames of megabytes (fetch responses): keeping one buffer each is cheap.
        splitter = FrameSplitter(maxFrameSize: maxFrameSize, minFrameSize: 4, reusesGatherBuffer: true)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        do {
            // A read that arrives re-entrantly, from a frame's handling, is only queued: the
            // call already running hands its frames on, in order.
            try splitter.feed(unwrapInboundIn(data), allocator: context.channel.allocator) { context.fireChannelRead(wrapInboundOut($0)) }
        } catch {
            failed = true
            context.fireErrorCaught(KafkaClientError.protocolViolation("a response frame of \(error.size) bytes (limit \(error.limit), at least 4 for the correlation id)"))
        }
    }
}

/// A request frame on its way out, with the promise its response completes (none for acks=0
/// produce requests, which the broker never answers).
struct OutgoingRequest: Sendable {
    var correlationID: Int32
    var frame: ByteBuffer
    var response: EventLoopPromise<ByteBuffer>?
}

/// Matches responses to requests by correlation id, so any number of requests can be in
/// flight on one connection (pipelining). On close every waiting request fails.
final class ResponseMatcher: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = OutgoingRequest
    typealias OutboundOut = ByteBuffer

    private var pending: [Int32: EventLoopPromise<ByteBuffer>] = [:]
    private let peer: String

    init(peer: String) {
        self.peer = peer
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let response = request.response {
            pending[request.correlationID] = response
        }
        context.write(wrapOutboundOut(request.frame), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var frame = unwrapInboundIn(data)
        guard let correlationID = frame.readInteger(as: Int32.self) else { return }
        guard let promise = pending.removeValue(forKey: correlationID) else {
            // A response to a request that already timed out: nobody waits for it any more.
            return
        }
        promise.succeed(frame)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(KafkaClientError.connection("\(peer) closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        failAll(KafkaClientError.connection("\(peer): \(error)"))
        context.close(promise: nil)
    }

    private func failAll(_ error: Error) {
        let waiting = pending
        pending.removeAll()
        for promise in waiting.values { promise.fail(error) }
    }
}
