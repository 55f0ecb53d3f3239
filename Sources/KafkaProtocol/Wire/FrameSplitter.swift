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
///
/// A class, and re-entrant: handling a frame can flush, a flush can make NIO read the socket,
/// and NIO then delivers that read while the frames of the one before are still being handed
/// out. ``feed(_:allocator:frame:)`` queues such a read behind the rest, in stream order, for
/// the loop already running (a struct's mutating call would still be under way then, and
/// Swift's exclusivity check stops the process).
public final class FrameSplitter {
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
    /// The read being split, and the reads that came after it.
    private var current = ByteBuffer()
    private var queued = CircularBuffer<ByteBuffer>()
    /// Whether a caller is taking frames (between an `append` that said so and a nil or a throw).
    private var draining = false

    /// - Parameter reusesGatherBuffer: keep the last gathering buffer for the next frame that
    ///   spans reads (it holds as much memory as the largest such frame, so a client's few
    ///   connections use it, not a broker's many).
    public init(maxFrameSize: Int, minFrameSize: Int = 0, reusesGatherBuffer: Bool = false) {
        self.maxFrameSize = maxFrameSize
        self.minFrameSize = minFrameSize
        self.reusesGatherBuffer = reusesGatherBuffer
    }

    /// Hands every frame that `chunk` completes to `frame`, in order; when called from inside
    /// `frame` (a re-entrant read), only queues `chunk` for the call already running.
    /// - Throws: ``FrameSizeError`` for a size prefix out of bounds; the stream cannot be
    ///   resynchronized after it, so the connection should close.
    public func feed(_ chunk: ByteBuffer, allocator: ByteBufferAllocator, frame: (ByteBuffer) -> Void) throws(FrameSizeError) {
        guard append(chunk) else { return }
        while let next = try nextFrame(allocator: allocator) { frame(next) }
    }

    /// Queues one read. True when the caller should now take the frames (``nextFrame(allocator:)``
    /// until nil); false when an earlier caller is still taking them, which happens when handling
    /// a frame reads from the socket again and the read arrives re-entrantly: that loop, still
    /// running, takes these bytes after the ones before them, in stream order.
    public func append(_ chunk: ByteBuffer) -> Bool {
        if chunk.readableBytes > 0 { queued.append(chunk) }
        guard !draining else { return false }
        draining = true
        return true
    }

    /// The next complete frame of the reads queued so far, or nil when they hold no more (the
    /// rest stays for the next read).
    /// - Throws: ``FrameSizeError`` for a size prefix out of bounds; the stream cannot be
    ///   resynchronized after it, so the connection should close.
    public func nextFrame(allocator: ByteBufferAllocator) throws(FrameSizeError) -> ByteBuffer? {
        while true {
            if current.readableBytes == 0 {
                guard let next = queued.popFirst() else {
                    current = ByteBuffer()
                    draining = false
                    return nil
                }
                current = next
            }
            do {
                if let frame = try frame(from: &current, allocator: allocator) { return frame }
            } catch {
                draining = false
                throw error
            }
        }
    }

    /// The frame that the start of `chunk` completes, or nil when there is none yet (the caller
    /// calls again while `chunk` has bytes left).
    private func frame(from chunk: inout ByteBuffer, allocator: ByteBufferAllocator) throws(FrameSizeError) -> ByteBuffer? {
        if partial != nil {
            let take = min(missing, chunk.readableBytes)
            var bytes = chunk.readSlice(length: take)!
            partial!.writeBuffer(&bytes)
            missing -= take
            guard missing == 0 else { return nil }
            let complete = partial!
            partial = nil
            if reusesGatherBuffer { spare = complete }
            return complete
        }
        guard let size = readSize(from: &chunk) else { return nil }
        guard size >= minFrameSize, size <= maxFrameSize else {
            throw FrameSizeError(size: size, minimum: minFrameSize, limit: maxFrameSize)
        }
        if chunk.readableBytes >= size { return chunk.readSlice(length: size)! }
        // The size was checked above, so this allocation is bounded by the limit.
        // What the chunk holds of it is gathered by the next call.
        partial = gatherBuffer(capacity: size, allocator: allocator)
        missing = size
        return nil
    }

    /// A buffer for a frame of `capacity` bytes: the spare one when its last frame is no longer
    /// held elsewhere (`clear` then keeps its storage; a shared one gets new storage instead).
    private func gatherBuffer(capacity: Int, allocator: ByteBufferAllocator) -> ByteBuffer {
        guard var buffer = spare.take() else { return allocator.buffer(capacity: capacity) }
        buffer.clear(minimumCapacity: capacity)
        return buffer
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

/// A frame's size prefix below the minimum (negative, say) or above the limit.
public struct FrameSizeError: Error, CustomStringConvertible {
    public var size: Int
    public var minimum: Int
    public var limit: Int

    public var description: String {
        size < minimum ? "frame size \(size) is below the minimum of \(minimum)" : "frame of \(size) bytes exceeds the limit of \(limit)"
    }
}
