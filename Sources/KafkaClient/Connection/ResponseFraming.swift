import NIOCore

/// Cuts the byte stream from a broker into response frames (a 4-byte big-endian size, then
/// that many bytes). The size is checked before anything is buffered for it.
struct ResponseFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    let maxFrameSize: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let size = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return .needMoreData }
        guard size >= 4, Int(size) <= maxFrameSize else {
            throw KafkaClientError.protocolViolation("a response frame of \(size) bytes (limit \(maxFrameSize), at least 4 for the correlation id)")
        }
        guard buffer.readableBytes >= 4 + Int(size) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        context.fireChannelRead(Self.wrapInboundOut(buffer.readSlice(length: Int(size))!))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
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
