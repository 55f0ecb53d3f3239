import NIOCore
import Synchronization

/// Large request frames (produce requests carrying whole batches), taken back for reuse once the
/// channel has written them. A new buffer of a megabyte costs a page fault per 4 KiB the first
/// time it is filled, which is more than copying the batch into it (the profile of a producer
/// of 1 KiB records had 8% of its time in those faults). Small frames are not pooled.
final class FramePool: Sendable {
    /// Frames from this size up are pooled.
    static let pooledCapacity = 64 << 10
    let limit: Int
    private let frames = Mutex<[ByteBuffer]>([])

    init(limit: Int = 4) {
        self.limit = limit
    }

    /// How many frames wait for reuse.
    var count: Int { frames.withLock { $0.count } }

    /// An empty buffer of at least `capacity` bytes: a pooled one that is large enough, else new.
    func frame(capacity: Int, allocator: ByteBufferAllocator) -> ByteBuffer {
        guard capacity >= Self.pooledCapacity else { return allocator.buffer(capacity: capacity) }
        let pooled = frames.withLock { frames -> ByteBuffer? in
            guard let index = frames.firstIndex(where: { $0.capacity >= capacity }) else { return nil }
            frames.swapAt(index, frames.count - 1)
            return frames.removeLast()
        }
        return pooled ?? allocator.buffer(capacity: capacity)
    }

    /// Hands `frame` back once the channel is done with it: the holder keeps the only other
    /// reference, which `recycle` takes out, so clearing it reuses the memory (a buffer still
    /// shared would be copied instead, which is only a lost reuse).
    final class Written: Sendable {
        private let frame: Mutex<ByteBuffer?>
        private let pool: FramePool

        init(_ frame: ByteBuffer, pool: FramePool) {
            self.frame = Mutex(frame)
            self.pool = pool
        }

        func recycle() {
            guard var frame = self.frame.withLock({ $0.take() }) else { return }
            frame.clear()
            pool.keep(frame)
        }
    }

    private func keep(_ frame: ByteBuffer) {
        guard frame.capacity >= Self.pooledCapacity else { return }
        frames.withLock { frames in
            if frames.count < limit {
                frames.append(frame)
            } else if let smallest = frames.indices.min(by: { frames[$0].capacity < frames[$1].capacity }),
                      frames[smallest].capacity < frame.capacity {
                frames[smallest] = frame
            }
        }
    }
}
