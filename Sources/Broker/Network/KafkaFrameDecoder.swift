import NIOCore

/// Splits the byte stream of a Kafka connection into request frames: a 4-byte big-endian size,
/// then that many bytes. The size is checked against `socket.request.max.bytes` before any
/// buffering: a negative or oversized frame is an error, and the connection is closed.
public struct KafkaFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    public let maxFrameSize: Int

    public init(maxFrameSize: Int) {
        self.maxFrameSize = maxFrameSize
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let size = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return .needMoreData }
        guard size >= 0, Int(size) <= maxFrameSize else {
            throw KafkaFrameError(size: Int(size), limit: maxFrameSize)
        }
        guard buffer.readableBytes >= 4 + Int(size) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: Int(size))!))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A partial frame at the end of the connection is dropped with it.
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
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
