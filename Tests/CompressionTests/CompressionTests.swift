import Testing
@testable import Compression

@Suite struct CompressionTests {
    static let codecs: [CompressionCodec] = CompressionCodec.allCases

    static func random(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    static let inputs: [[UInt8]] = [
        [], [42], Array("hello, hello, hello, hello".utf8),
        random(1 << 20), [UInt8](repeating: 7, count: 1 << 20),
    ]

    @Test(arguments: codecs, 0..<5)
    func roundTrips(codec: CompressionCodec, input: Int) throws {
        let data = Self.inputs[input]
        let compressed = try codec.compress(data)
        #expect(try codec.decompress(compressed, maxOutputSize: data.count) == data)
    }

    @Test(arguments: [
        (CompressionCodec.gzip, Fixtures.gzip2), (.snappy, Fixtures.snappyRaw), (.snappy, Fixtures.xerial),
        (.lz4, Fixtures.lz4), (.lz4, Fixtures.lz4NoSize), (.zstd, Fixtures.zstdNoSize), (.zstd, Fixtures.zstdTwoFrames),
    ])
    func readsWhatOtherImplementationsWrite(codec: CompressionCodec, compressed: [UInt8]) throws {
        #expect(try codec.decompress(compressed, maxOutputSize: 1 << 20) == Fixtures.plain)
    }

    @Test func snappyIsWrittenInXerialFraming() throws {
        let compressed = try CompressionCodec.snappy.compress(Fixtures.plain)
        #expect(Array(compressed.prefix(16)) == [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1])
    }

    @Test(arguments: [
        (CompressionCodec.gzip, Fixtures.gzip2), (.snappy, Fixtures.xerial), (.lz4, Fixtures.lz4), (.zstd, Fixtures.zstdNoSize),
    ])
    func everyTruncationThrows(codec: CompressionCodec, compressed: [UInt8]) {
        // Cut inside the last frame or block: the data is incomplete, never silently short.
        for length in stride(from: 1, to: compressed.count - 1, by: max(1, compressed.count / 40)) {
            let cut = Array(compressed[..<length])
            let result = try? codec.decompress(cut, maxOutputSize: 1 << 20)
            #expect(result != Fixtures.plain, "\(codec) accepted a stream cut at \(length)")
            // Cut exactly between gzip members or xerial blocks, a stream is valid and shorter.
            let gzipBoundary = (1..<Fixtures.gzip2.count - 1).first { Fixtures.gzip2[$0] == 0x1f && Fixtures.gzip2[$0 + 1] == 0x8b }
            let boundaries = codec == .gzip ? [gzipBoundary ?? -1] : codec == .snappy ? [16, 16 + 4 + 57] : []
            if !boundaries.contains(length) {
                #expect(throws: CompressionError.self, "\(codec) cut at \(length)") {
                    try codec.decompress(cut, maxOutputSize: 1 << 20)
                }
            }
        }
    }

    @Test(arguments: [
        (CompressionCodec.gzip, Fixtures.gzip2), (.snappy, Fixtures.snappyRaw), (.lz4, Fixtures.lz4), (.zstd, Fixtures.zstdNoSize),
    ])
    func corruptedBytesThrowOrDiffer(codec: CompressionCodec, compressed: [UInt8]) {
        var corrupt = compressed
        corrupt[corrupt.count / 2] ^= 0xff
        let result = try? codec.decompress(corrupt, maxOutputSize: 1 << 20)
        #expect(result != Fixtures.plain)
    }

    @Test(arguments: codecs)
    func maxOutputSizeIsHonouredExactly(codec: CompressionCodec) throws {
        let data = [UInt8](repeating: 1, count: 100_000)
        let compressed = try codec.compress(data)
        #expect(try codec.decompress(compressed, maxOutputSize: 100_000).count == 100_000)
        do {
            _ = try codec.decompress(compressed, maxOutputSize: 99_999)
            Issue.record("\(codec) exceeded maxOutputSize")
        } catch {
            #expect(error.code == .outputTooLarge)
        }
    }

    @Test func aSnappyBombIsRefusedBeforeAllocating() {
        // A raw block whose length preamble claims 2^31 bytes.
        let bomb: [UInt8] = [0x80, 0x80, 0x80, 0x80, 0x08, 0x00]
        do {
            _ = try CompressionCodec.snappy.decompress(bomb, maxOutputSize: 1 << 20)
            Issue.record("a bomb was accepted")
        } catch {
            #expect(error.code == .outputTooLarge)
        }
    }

    @Test(arguments: [Int16(0), 1, 2, 3, 4])
    func codecFromAttributes(attributes: Int16) throws {
        #expect(try CompressionCodec(batchAttributes: attributes | 0x18).rawValue == Int8(attributes))
    }

    @Test(arguments: [Int16(5), 6, 7])
    func unknownCodecIDsThrow(attributes: Int16) {
        #expect(throws: CompressionError.self) { try CompressionCodec(batchAttributes: attributes) }
    }
}
