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
}
