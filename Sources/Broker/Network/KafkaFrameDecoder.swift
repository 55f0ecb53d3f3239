import KafkaProtocol
import NIOCore

/// Splits the byte stream of a Kafka connection into request frames (``FrameSplitter``): the
/// size is checked against `socket.request.max.bytes` before any buffering, and a negative or
/// oversized frame is an error that closes the connection.
final class KafkaFrameDecoder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let splitter: FrameSplitter
    private var failed = false

    init(maxFrameSize: Int) {
        splitter = FrameSplitter(maxFrameSize: maxFrameSize)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        do {
            // A read that arrives re-entrantly, from a frame's handling, is only queued: the
            // call already running hands its frames on, in order.
            try splitter.feed(unwrapInboundIn(data), allocator: context.channel.allocator) { context.fireChannelRead(wrapInboundOut($0)) }
        } catch {
            failed = true
            context.fireErrorCaught(KafkaFrameError(size: error.size, limit: error.limit))
        }
    }
}

/// A frame whose size prefix is negative or larger than `socket.request.max.bytes`.
public struct KafkaFrameError: Error, CustomStringConvertible {
    public var size: Int
    public var limit: Int

    public var description: String {
        size < 0 ? "negative frame size \(size)" : "frame of \(size) bytes exceeds socket.request.max.bytes (\(limit))"
    }
}
