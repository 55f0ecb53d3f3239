import NIOCore
import NIOEmbedded
import Testing
@testable import Broker

@Suite struct KafkaFrameDecoderTests {
    /// Three frames (sizes 0, 5 and 300) as one byte stream.
    private static let frames: [[UInt8]] = [[], Array("hello".utf8), (0..<300).map { UInt8($0 % 251) }]
    private static var stream: [UInt8] {
        frames.flatMap { frame in withUnsafeBytes(of: Int32(frame.count).bigEndian, Array.init) + frame }
    }

    private func decode(_ chunks: [[UInt8]], limit: Int = 1 << 20) throws -> (frames: [[UInt8]], error: (any Error)?) {
        let channel = EmbeddedChannel(handler: KafkaFrameDecoder(maxFrameSize: limit))
        var error: (any Error)?
        do {
            for chunk in chunks { try channel.writeInbound(ByteBuffer(bytes: chunk)) }
        } catch let caught {
            error = caught
        }
        var out: [[UInt8]] = []
        while let frame = try channel.readInbound(as: ByteBuffer.self) { out.append(Array(frame.readableBytesView)) }
        _ = try? channel.finish()
        return (out, error)
    }

    @Test func theStreamInOneRead() throws {
        #expect(try decode([Self.stream]).frames == Self.frames)
    }

    /// Every split point of the stream, inside size prefixes and inside frames.
    @Test func everySplitIntoTwoReads() throws {
        let stream = Self.stream
        for cut in 0...stream.count {
            let result = try decode([Array(stream[..<cut]), Array(stream[cut...])])
            #expect(result.frames == Self.frames, "cut at \(cut)")
            #expect(result.error == nil)
        }
    }

    @Test func oneByteAtATime() throws {
        #expect(try decode(Self.stream.map { [$0] }).frames == Self.frames)
    }

    @Test(arguments: [Int32(-1), Int32(1001)])
    func aBadSizeIsAnErrorBeforeAnyBuffering(size: Int32) throws {
        let prefix = withUnsafeBytes(of: size.bigEndian, Array.init)
        let result = try decode([prefix + [1, 2, 3]], limit: 1000)
        #expect(result.frames.isEmpty)
        #expect(result.error is KafkaFrameError)
    }

    @Test func framesBeforeABadSizeAreDelivered() throws {
        let bad = withUnsafeBytes(of: Int32(5000).bigEndian, Array.init)
        let result = try decode([Self.stream + bad], limit: 1000)
        #expect(result.frames == Self.frames)
        #expect(result.error is KafkaFrameError)
    }

    /// Handling a frame can make NIO read the socket again and deliver that read into the
    /// decoder while it is still taking the frames of the read before (the broker once stopped
    /// with an exclusivity violation on this). Here the handler after the decoder feeds the
    /// rest of the stream back in from inside its first frame: every frame comes out once, in
    /// stream order, wherever the first read ends.
    @Test(arguments: [4, 9, 12, 100, 200])
    func aReadDeliveredWhileAFrameIsHandledComesAfterTheRest(firstRead: Int) throws {
        let stream = Self.stream
        let channel = EmbeddedChannel()
        let decoder = KafkaFrameDecoder(maxFrameSize: 1 << 20)
        let reentrant = ReentrantReader(rest: ByteBuffer(bytes: stream[firstRead...]), decoder: decoder)
        try channel.pipeline.syncOperations.addHandlers([decoder, reentrant])
        try channel.writeInbound(ByteBuffer(bytes: stream[..<firstRead]))
        #expect(reentrant.fedBack)
        #expect(reentrant.frames == Self.frames)
        _ = try? channel.finish()
    }
}

/// Collects frames; on the first one, hands `rest` to the decoder's `channelRead` from inside
/// its own, as NIO does when a flush in a frame's handling leads to a socket read.
private final class ReentrantReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let rest: ByteBuffer
    private let decoder: KafkaFrameDecoder
    private(set) var frames: [[UInt8]] = []
    private(set) var fedBack = false

    init(rest: ByteBuffer, decoder: KafkaFrameDecoder) {
        self.rest = rest
        self.decoder = decoder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        frames.append(Array(unwrapInboundIn(data).readableBytesView))
        if !fedBack {
            fedBack = true
            let decoderContext = try! context.pipeline.syncOperations.context(handler: decoder)
            decoder.channelRead(context: decoderContext, data: NIOAny(rest))
        }
    }
}
