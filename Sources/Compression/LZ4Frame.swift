import CLZ4

/// The LZ4 frame format (magic `04 22 4d 18`), with any valid flags: block or content
/// checksums, content size present or not, linked or independent blocks.
enum LZ4Frame {
    static func decompress(_ input: UnsafeRawBufferPointer, maxOutputSize: Int) throws(CompressionError) -> [UInt8] {
        var context: OpaquePointer?
        guard LZ4F_isError(LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))) == 0, let context else {
            throw CompressionError(.libraryFailure, codec: .lz4, "cannot create a decompression context")
        }
        defer { LZ4F_freeDecompressionContext(context) }
        var output = BoundedOutput(expected: input.count * 4, limit: maxOutputSize)
        var consumed = 0
        while true {
            if output.count == output.bytes.count, !output.grow() { throw .tooLarge(.lz4, maxOutputSize) }
            var sourceSize = input.count - consumed
            var destinationSize = output.bytes.count - output.count
            let hint = output.bytes.withUnsafeMutableBytes { out in
                LZ4F_decompress(context, out.baseAddress!.advanced(by: output.count), &destinationSize,
                                input.baseAddress?.advanced(by: consumed), &sourceSize, nil)
            }
            if LZ4F_isError(hint) != 0 {
                throw .malformed(.lz4, "invalid frame data near byte \(consumed): \(String(cString: LZ4F_getErrorName(hint)))")
            }
            consumed += sourceSize
            output.count += destinationSize
            if hint == 0 {
                // A frame ended; Kafka batches hold one, but accept further frames like lz4 does.
                guard consumed < input.count else { return output.result }
                continue
            }
            if consumed == input.count && destinationSize == 0 {
                throw .malformed(.lz4, "the frame ends before its end mark")
            }
        }
    }

    static func compress(_ input: UnsafeRawBufferPointer) throws(CompressionError) -> [UInt8] {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.contentSize = UInt64(input.count)
        let bound = LZ4F_compressFrameBound(input.count, &preferences)
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { out in
            LZ4F_compressFrame(out.baseAddress, out.count, input.baseAddress, input.count, &preferences)
        }
        guard LZ4F_isError(written) == 0 else {
            throw CompressionError(.libraryFailure, codec: .lz4, String(cString: LZ4F_getErrorName(written)))
        }
        output.removeLast(output.count - written)
        return output
    }
}
