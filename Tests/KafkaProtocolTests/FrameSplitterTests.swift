import KafkaProtocol
import NIOCore
import Testing

@Suite struct FrameSplitterTests {
    private func sized(_ frame: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: Int32(frame.count).bigEndian, Array.init) + frame
    }

    /// Feeds `reads` and returns the frames and the error, if any.
    private func split(_ reads: [[UInt8]], min: Int = 0, max: Int = 1000) -> ([[UInt8]], FrameSizeError?) {
        var splitter = FrameSplitter(maxFrameSize: max, minFrameSize: min)
        var frames: [[UInt8]] = []
        do {
            for read in reads {
                var chunk = ByteBuffer(bytes: read)
                try splitter.split(&chunk, allocator: ByteBufferAllocator()) { frames.append(Array($0.readableBytesView)) }
            }
        } catch {
            return (frames, error)
        }
        return (frames, nil)
    }

    @Test(arguments: [
        // (frames, how the stream is cut into reads: the size of each read, the rest last)
        ([[UInt8]()], [Int]()),
        ([[1, 2, 3]], [2]),
        ([[1, 2, 3], [4]], [5]),
        ([[1, 2, 3], [4]], [1, 1, 1, 1, 1, 1, 1, 1]),
        ([Array(repeating: 7, count: 600), [9]], [300, 4]),
    ] as [([[UInt8]], [Int])])
    func framesComeOutWholeHoweverTheReadsFall(frames: [[UInt8]], cuts: [Int]) {
        var stream = frames.flatMap(sized)[...]
        var reads: [[UInt8]] = []
        for cut in cuts where !stream.isEmpty {
            reads.append(Array(stream.prefix(cut)))
            stream = stream.dropFirst(cut)
        }
        reads.append(Array(stream))
        let (got, error) = split(reads)
        #expect(got == frames)
        #expect(error == nil)
    }

    @Test(arguments: [(Int32(-1), 0, "below the minimum of 0"), (Int32(3), 4, "below the minimum of 4"), (Int32(1001), 0, "exceeds the limit of 1000")])
    func aSizeOutOfBoundsIsAnErrorAfterTheFramesBeforeIt(size: Int32, minimum: Int, message: String) {
        let bad = withUnsafeBytes(of: size.bigEndian, Array.init)
        let (got, error) = split([sized([5, 5, 5, 5]) + bad + [1, 2, 3]], min: minimum)
        #expect(got == [[5, 5, 5, 5]])
        #expect(error?.size == Int(size))
        #expect(error?.description.contains(message) == true)
    }

    /// A kept gathering buffer is written again only when its frame has been let go: a frame
    /// still held keeps its bytes while the next one is gathered.
    @Test(arguments: [true, false])
    func aReusedGatherBufferNeverOverwritesAFrameStillHeld(holdFirst: Bool) throws {
        var splitter = FrameSplitter(maxFrameSize: 1000, reusesGatherBuffer: true)
        var held: [ByteBuffer] = []
        var contents: [[UInt8]] = []
        for fill in [UInt8(1), 2, 3] {
            let stream = sized(Array(repeating: fill, count: 200))
            for read in [stream[..<50], stream[50...]] {
                var chunk = ByteBuffer(bytes: read)
                try splitter.split(&chunk, allocator: ByteBufferAllocator()) { frame in
                    contents.append(Array(frame.readableBytesView))
                    if holdFirst && fill == 1 { held.append(frame) }
                }
            }
        }
        #expect(contents == [1, 2, 3].map { Array(repeating: $0, count: 200) })
        #expect(held.map { Array($0.readableBytesView) } == (holdFirst ? [Array(repeating: 1, count: 200)] : []))
    }
}
