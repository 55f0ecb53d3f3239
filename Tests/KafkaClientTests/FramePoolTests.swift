import NIOCore
import Testing
@testable import KafkaClient

/// The pool of large request frames: small frames are never pooled, a written frame's memory is
/// handed out again (empty), and a full pool keeps its largest frames.
@Suite struct FramePoolTests {
    private let allocator = ByteBufferAllocator()

    /// A frame with some bytes written, handed to the pool's holder as a connection does: the
    /// holder keeps the only reference. Returns where its memory is.
    private func written(_ pool: FramePool, capacity: Int) -> (FramePool.Written, UnsafeRawPointer?) {
        var frame = pool.frame(capacity: capacity, allocator: allocator)
        frame.writeRepeatingByte(7, count: min(capacity, 1000))
        let base = frame.withVeryUnsafeBytes { UnsafeRawPointer($0.baseAddress) }
        return (FramePool.Written(frame, pool: pool), base)
    }

    private func base(_ frame: ByteBuffer) -> UnsafeRawPointer? {
        frame.withVeryUnsafeBytes { UnsafeRawPointer($0.baseAddress) }
    }

    @Test func smallFramesAreNotPooled() {
        let pool = FramePool()
        let (holder, _) = written(pool, capacity: 512)
        holder.recycle()
        #expect(pool.count == 0)
        #expect(pool.frame(capacity: 512, allocator: allocator).capacity >= 512)
    }

    @Test func aWrittenFrameIsReusedEmpty() {
        let pool = FramePool()
        let (holder, address) = written(pool, capacity: 200_000)
        holder.recycle()
        holder.recycle()  // a second completion hands back nothing
        #expect(pool.count == 1)
        let reused = pool.frame(capacity: 150_000, allocator: allocator)
        #expect(base(reused) == address)
        #expect(reused.readableBytes == 0)
        #expect(pool.count == 0)
    }

    @Test func aFrameTooSmallForTheRequestIsNotUsed() {
        let pool = FramePool()
        let (holder, _) = written(pool, capacity: 70_000)
        holder.recycle()
        #expect(pool.frame(capacity: 300_000, allocator: allocator).capacity >= 300_000)
        #expect(pool.count == 1)
    }

    @Test func aFullPoolKeepsItsLargestFrames() {
        let pool = FramePool(limit: 2)
        let frames = [70_000, 80_000, 400_000].map { written(pool, capacity: $0) }
        for (holder, _) in frames { holder.recycle() }
        #expect(pool.count == 2)
        // The 70,000-byte frame made room for the 400,000-byte one.
        #expect(base(pool.frame(capacity: 300_000, allocator: allocator)) == frames[2].1)
        #expect(base(pool.frame(capacity: 75_000, allocator: allocator)) == frames[1].1)
        #expect(pool.count == 0)
    }
}
