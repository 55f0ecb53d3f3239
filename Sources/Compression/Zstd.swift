import CZstd

/// zstd frames, decompressed by streaming so that a frame without its content size (which
/// producers may omit) and several concatenated frames both work.
enum Zstd {
    static func decompress(_ input: UnsafeRawBufferPointer, maxOutputSize: Int) throws(CompressionError) -> [UInt8] {
        guard let context = ZSTD_createDCtx() else {
            throw CompressionError(.libraryFailure, codec: .zstd, "cannot create a decompression context")
        }
        defer { ZSTD_freeDCtx(context) }
        var output = BoundedOutput(expected: input.count * 4, limit: maxOutputSize)
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var lastHint = 1
        while inBuffer.pos < inBuffer.size || lastHint != 0 {
            if output.count == output.bytes.count, !output.grow() { throw .tooLarge(.zstd, maxOutputSize) }
            let before = (inBuffer.pos, output.count)
            let hint = output.bytes.withUnsafeMutableBytes { out in
                var outBuffer = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: output.count)
                let hint = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
                output.count = outBuffer.pos
                return hint
            }
            if ZSTD_isError(hint) != 0 {
                throw .malformed(.zstd, "invalid data near byte \(inBuffer.pos): \(String(cString: ZSTD_getErrorName(hint)))")
            }
            lastHint = hint
            if inBuffer.pos == inBuffer.size && hint != 0 && (inBuffer.pos, output.count) == before {
                throw .malformed(.zstd, "the frame ends early")
            }
            if inBuffer.pos == inBuffer.size && hint != 0 && output.count < output.bytes.count {
                throw .malformed(.zstd, "the frame ends early")
            }
        }
        return output.result
    }

    static func compress(_ input: UnsafeRawBufferPointer) throws(CompressionError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
        let written = output.withUnsafeMutableBytes { out in
            ZSTD_compress(out.baseAddress, out.count, input.baseAddress, input.count, 3)
        }
        guard ZSTD_isError(written) == 0 else {
            throw CompressionError(.libraryFailure, codec: .zstd, String(cString: ZSTD_getErrorName(written)))
        }
        output.removeLast(output.count - written)
        return output
    }
}
