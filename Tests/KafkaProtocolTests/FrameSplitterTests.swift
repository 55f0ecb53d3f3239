import KafkaProtocol
import NIOCore
import Testing

@Suite struct FrameSplitterTests {
    private func sized(_ frame: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: Int32(frame.count).bigEndian, Array.init) + frame
    }

    /// Feeds `reads` and returns the frames and the error, if any.
    private func split(_ reads: [[UInt8]], min: Int = 0, max: Int = 1000) -> ([[UInt8]], FrameSizeError?) {
        let splitter = FrameSplitter(maxFrameSize: max, minFrameSize: min)
        var frames: [[UInt8]] = []
        do {
            for read in reads {
                let taken = splitter.append(ByteBuffer(bytes: read))
                #expect(taken)
                while let frame = try splitter.nextFrame(allocator: ByteBufferAllocator()) { frames.append(Array(frame.readableBytesView)) }
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
        let splitter = FrameSplitter(maxFrameSize: 1000, reusesGatherBuffer: true)
        var held: [ByteBuffer] = []
        var contents: [[UInt8]] = []
        for fill in [UInt8(1), 2, 3] {
            let stream = sized(Array(repeating: fill, count: 200))
            for read in [stream[..<50], stream[50...]] {
                let taken = splitter.append(ByteBuffer(bytes: read))
                #expect(taken)
                while let frame = try splitter.nextFrame(allocator: ByteBufferAllocator()) {
                    contents.append(Array(frame.readableBytesView))
                    if holdFirst && fill == 1 { held.append(frame) }
                }
            }
        }
        #expect(contents == [1, 2, 3].map { Array(repeating: $0, count: 200) })
        #expect(held.map { Array($0.readableBytesView) } == (holdFirst ? [Array(repeating: 1, count: 200)] : []))
    }

    /// Handling a frame can read from the socket again, and NIO then delivers that read while
    /// the frames of the earlier one are still being taken (a broker crashed on this with an
    /// exclusivity violation). The re-entrant read is queued behind the rest of the earlier one,
    /// wherever the reads cut the frames, and the loop already running takes it.
    @Test(arguments: [6, 7, 9, 13, 20])
    func aReadArrivingWhileFramesAreTakenComesAfterTheRestInOrder(firstReadSize: Int) throws {
        let frames: [[UInt8]] = [[1, 1], [2, 2, 2], [3], [4, 4, 4, 4]]
        let stream = frames.flatMap(sized)
        let splitter = FrameSplitter(maxFrameSize: 1000)
        var seen: [[UInt8]] = []
        let taken = splitter.append(ByteBuffer(bytes: stream.prefix(firstReadSize)))
        #expect(taken)
        var injected = false
        while let frame = try splitter.nextFrame(allocator: ByteBufferAllocator()) {
            seen.append(Array(frame.readableBytesView))
            if !injected {
                injected = true
                let reentrant = splitter.append(ByteBuffer(bytes: stream.dropFirst(firstReadSize)))
                #expect(!reentrant, "re-entrant: the running loop takes it")
            }
        }
        #expect(injected)
        #expect(seen == frames)
        let takenAgain = splitter.append(ByteBuffer(bytes: sized([5])))
        #expect(takenAgain, "after nil, the next read is taken by its own caller")
        let last = try splitter.nextFrame(allocator: ByteBufferAllocator())
        #expect(last.map { Array($0.readableBytesView) } == [5])
    }

    @Test func afterAnOversizedFrameTheNextCallerIsToldToTakeFrames() {
        let splitter = FrameSplitter(maxFrameSize: 10)
        let taken = splitter.append(ByteBuffer(bytes: sized(Array(repeating: 0, count: 11))))
        #expect(taken)
        var thrown: FrameSizeError?
        do {
            _ = try splitter.nextFrame(allocator: ByteBufferAllocator())
        } catch {
            thrown = error
        }
        #expect(thrown?.size == 11)
        let takenAgain = splitter.append(ByteBuffer())
        #expect(takenAgain)
    }

    /// The same through `feed`, as the handlers call it: a `feed` from inside `frame` only queues.
    @Test(arguments: [6, 9, 20])
    func feedCalledFromInsideAFrameKeepsStreamOrder(firstReadSize: Int) throws {
        let frames: [[UInt8]] = [[1, 1], [2, 2, 2], [3], [4, 4, 4, 4]]
        let stream = frames.flatMap(sized)
        let splitter = FrameSplitter(maxFrameSize: 1000)
        var seen: [[UInt8]] = []
        var fedBack = false
        func take(_ frame: ByteBuffer) {
            seen.append(Array(frame.readableBytesView))
            guard !fedBack else { return }
            fedBack = true
            try? splitter.feed(ByteBuffer(bytes: stream.dropFirst(firstReadSize)), allocator: ByteBufferAllocator(), frame: take)
            #expect(seen.count == 1, "the re-entrant feed hands on nothing itself")
        }
        try splitter.feed(ByteBuffer(bytes: stream.prefix(firstReadSize)), allocator: ByteBufferAllocator(), frame: take)
        #expect(fedBack)
        #expect(seen == frames)
    }
}
