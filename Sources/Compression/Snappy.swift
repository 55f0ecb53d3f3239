import CSnappy

/// Snappy in both forms Kafka clients write: a raw block (librdkafka) and snappy-java's
/// "xerial" framing (the Java client): the magic `82 53 4e 41 50 50 59 00`, two big-endian
/// int32 versions, then blocks of a big-endian int32 length and a raw snappy block.
enum Snappy {
    static let xerialMagic: [UInt8] = [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]
    static let xerialHeaderSize = 16
    /// snappy-java's default block size.
    static let xerialBlockSize = 32 * 1024

    static func decompress(_ input: UnsafeRawBufferPointer, maxOutputSize: Int) throws(CompressionError) -> [UInt8] {
        if input.count < xerialHeaderSize, input.count > 0, input.elementsEqual(xerialMagic.prefix(input.count)) {
            throw .malformed(.snappy, "a xerial header cut short (\(input.count) of \(xerialHeaderSize) bytes)")
        }
        guard input.count >= xerialHeaderSize, input.prefix(8).elementsEqual(xerialMagic) else {
            var output: [UInt8] = []
            try appendRawBlock(input, to: &output, maxOutputSize: maxOutputSize)
            return output
        }
        var output: [UInt8] = []
        var position = xerialHeaderSize
        while position < input.count {
            guard position + 4 <= input.count else {
                throw .malformed(.snappy, "xerial block length cut short at byte \(position)")
            }
            let length = Int(UInt32(bigEndian: input.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
            position += 4
            guard length <= input.count - position else {
                throw .malformed(.snappy, "xerial block at byte \(position - 4) claims \(length) bytes, \(input.count - position) left")
            }
            try appendRawBlock(UnsafeRawBufferPointer(rebasing: input[position..<(position + length)]), to: &output, maxOutputSize: maxOutputSize)
            position += length
        }
        return output
    }

    /// Decompresses one raw block, checking its claimed size before allocating.
    private static func appendRawBlock(_ block: UnsafeRawBufferPointer, to output: inout [UInt8], maxOutputSize: Int) throws(CompressionError) {
        guard let base = block.baseAddress?.assumingMemoryBound(to: CChar.self), block.count > 0 else {
            throw .malformed(.snappy, "an empty snappy block")
        }
        var length = 0
        guard snappy_uncompressed_length(base, block.count, &length) == SNAPPY_OK else {
            throw .malformed(.snappy, "not a snappy block (bad length preamble)")
        }
        guard length <= maxOutputSize - output.count else { throw .tooLarge(.snappy, maxOutputSize) }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: length))
        var produced = length
        let status = output.withUnsafeMutableBytes { out in
            snappy_uncompress(base, block.count, out.baseAddress!.advanced(by: start).assumingMemoryBound(to: CChar.self), &produced)
        }
        guard status == SNAPPY_OK, produced == length else {
            throw .malformed(.snappy, "corrupt snappy block")
        }
    }

    static func compressXerial(_ input: UnsafeRawBufferPointer) throws(CompressionError) -> [UInt8] {
        var output = xerialMagic + [0, 0, 0, 1, 0, 0, 0, 1]
        var position = 0
        repeat {
            let end = min(input.count, position + xerialBlockSize)
            let block = try compressRaw(UnsafeRawBufferPointer(rebasing: input[position..<end]))
            withUnsafeBytes(of: UInt32(block.count).bigEndian) { output.append(contentsOf: $0) }
            output += block
            position = end
        } while position < input.count
        return output
    }

    static func compressRaw(_ input: UnsafeRawBufferPointer) throws(CompressionError) -> [UInt8] {
        var length = snappy_max_compressed_length(input.count)
        var output = [UInt8](repeating: 0, count: length)
        let source = input.baseAddress?.assumingMemoryBound(to: CChar.self)
        let status = output.withUnsafeMutableBytes { out in
            snappy_compress(source, input.count, out.baseAddress!.assumingMemoryBound(to: CChar.self), &length)
        }
        guard status == SNAPPY_OK else { throw CompressionError(.libraryFailure, codec: .snappy, "snappy_compress failed") }
        output.removeLast(output.count - length)
        return output
    }
}
