import NIOCore

/// Splits the byte stream of a Kafka connection into request frames: a 4-byte big-endian size,
/// then that many bytes. The size is checked against `socket.request.max.bytes` before any
/// buffering: a negative or oversized frame is an error, and the connection is closed.
///
/// Frames that lie whole inside one read are passed on as slices of it, without a copy. A frame
/// that spans reads is gathered into a buffer allocated once at the frame's size, so each of its
/// bytes is copied once (a generic cumulation buffer would grow step by step and compact itself,
/// copying megabyte-sized produce requests several times).
final class KafkaFrameDecoder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let maxFrameSize: Int
    /// The size prefix while it is split across reads (fewer than 4 bytes seen).
    private var sizeBytes: ByteBuffer?
    /// The frame being gathered across reads, and how many bytes it still needs.
    private var partial: ByteBuffer?
    private var missing = 0
    private var failed = false

    init(maxFrameSize: Int) {
        self.maxFrameSize = maxFrameSize
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var chunk = unwrapInboundIn(data)
        while chunk.readableBytes > 0 {
            if partial != nil {
                let take = min(missing, chunk.readableBytes)
                var bytes = chunk.readSlice(length: take)!
                partial!.writeBuffer(&bytes)
                missing -= take
                if missing == 0 {
                    let frame = partial!
                    partial = nil
                    context.fireChannelRead(wrapInboundOut(frame))
                }
                continue
            }
            guard let size = readSize(from: &chunk) else { return }
            guard size >= 0, size <= maxFrameSize else {
                failed = true
                context.fireErrorCaught(KafkaFrameError(size: size, limit: maxFrameSize))
                return
            }
            if chunk.readableBytes >= size {
                context.fireChannelRead(wrapInboundOut(chunk.readSlice(length: size)!))
            } else {
                // The size was checked above, so this allocation is bounded by the limit.
                partial = context.channel.allocator.buffer(capacity: size)
                missing = size
            }
        }
    }

    /// The next size prefix, or nil when the chunk ends inside it (the bytes are kept).
    private func readSize(from chunk: inout ByteBuffer) -> Int? {
        if sizeBytes == nil, let size = chunk.readInteger(as: Int32.self) {
            return Int(size)
        }
        var pending = sizeBytes ?? ByteBuffer()
        while pending.readableBytes < 4, let byte = chunk.readInteger(as: UInt8.self) {
            pending.writeInteger(byte)
        }
        guard let size = pending.getInteger(at: pending.readerIndex, as: Int32.self) else {
            sizeBytes = pending
            return nil
        }
        sizeBytes = nil
        return Int(size)
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
