import NIOCore

/// Splits the byte stream of a Kafka connection into frames: a 4-byte big-endian size, then
/// that many bytes. Both ends of a connection use it (the broker for requests, the client for
/// responses); it knows nothing of channels, only of the reads it is fed.
///
/// The size is checked before anything is buffered for it. Frames that lie whole inside one
/// read come out as slices of it, without a copy. A frame that spans reads is gathered into a
/// buffer allocated once at the frame's size, so each of its bytes is copied once (a generic
/// cumulation buffer grows step by step and compacts itself, copying a frame of megabytes
/// several times). With `reusesGatherBuffer`, the last gathering buffer is kept and written
/// again once its frame has been let go, so a stream of large frames does not fault in fresh
/// memory for each one (what the kernel zeroes and the host backs, page by page, on a VM).
public struct FrameSplitter {
    /// The largest frame accepted (`socket.request.max.bytes` on a broker).
    public let maxFrameSize: Int
    /// The smallest frame accepted (a response holds at least its correlation id).
    public let minFrameSize: Int
    /// The size prefix while it is split across reads (fewer than 4 bytes seen).
    private var sizeBytes: ByteBuffer?
    /// The frame being gathered across reads, and how many bytes it still needs.
    private var partial: ByteBuffer?
    private var missing = 0
    /// The buffer of the last gathered frame (with `reusesGatherBuffer`).
    private var spare: ByteBuffer?
    private let reusesGatherBuffer: Bool

    /// - Parameter reusesGatherBuffer: keep the last gathering buffer for the next frame that
    ///   spans reads (it holds as much memory as the largest such frame, so a client's few
    ///   connections use it, not a broker's many).
    public init(maxFrameSize: Int, minFrameSize: Int = 0, reusesGatherBuffer: Bool = false) {
        self.maxFrameSize = maxFrameSize
        self.minFrameSize = minFrameSize
        self.reusesGatherBuffer = reusesGatherBuffer
    }

    /// Consumes one read and hands every frame it completes to `frame`, in order.
    /// - Throws: ``FrameSizeError`` for a size prefix out of bounds; the stream cannot be
    ///   resynchronized after it, so the connection should close.
    public mutating func split(_ chunk: inout ByteBuffer, allocator: ByteBufferAllocator,
                               frame: (ByteBuffer) -> Void) throws(FrameSizeError) {
        while chunk.readableBytes > 0 {
            if partial != nil {
                let take = min(missing, chunk.readableBytes)
                var bytes = chunk.readSlice(length: take)!
                partial!.writeBuffer(&bytes)
                missing -= take
                if missing == 0 {
                    let complete = partial!
                    partial = nil
                    if reusesGatherBuffer { spare = complete }
                    frame(complete)
                }
                continue
            }
            guard let size = readSize(from: &chunk) else { return }
            guard size >= minFrameSize, size <= maxFrameSize else {
                throw FrameSizeError(size: size, minimum: minFrameSize, limit: maxFrameSize)
            }
            if chunk.readableBytes >= size {
                frame(chunk.readSlice(length: size)!)
            } else {
                // The size was checked above, so this allocation is bounded by the limit.
                partial = gatherBuffer(capacity: size, allocator: allocator)
                missing = size
            }
        }
    }

    /// A buffer for a frame of `capacity` bytes: the spare one when its last frame is no longer
    /// held elsewhere (`clear` then keeps its storage; a shared one gets new storage instead).
    private mutating func gatherBuffer(capacity: Int, allocator: ByteBufferAllocator) -> ByteBuffer {
        guard var buffer = spare.take() else { return allocator.buffer(capacity: capacity) }
        buffer.clear(minimumCapacity: capacity)
        return buffer
    }

    /// The next size prefix, or nil when the chunk ends inside it (the bytes are kept).
    private mutating func readSize(from chunk: inout ByteBuffer) -> Int? {
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

/// A frame's size prefix below the minimum (negative, say) or above the limit.
public struct FrameSizeError: Error, CustomStringConvertible {
    public var size: Int
    public var minimum: Int
    public var limit: Int

    public var description: String {
        size < minimum ? "frame size \(size) is below the minimum of \(minimum)" : "frame of \(size) bytes exceeds the limit of \(limit)"
    }
}
