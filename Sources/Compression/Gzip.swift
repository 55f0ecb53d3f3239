import CZlib

/// gzip (RFC 1952) through zlib. Decompression accepts concatenated members, as gzip does.
enum Gzip {
    static func decompress(_ input: UnsafeRawBufferPointer, maxOutputSize: Int) throws(CompressionError) -> [UInt8] {
        var stream = z_stream()
        // 15 + 32: any window size, gzip or zlib header detected automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CompressionError(.libraryFailure, codec: .gzip, "inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var output = BoundedOutput(expected: input.count * 4, limit: maxOutputSize)
        var consumed = 0
        while true {
            if output.count == output.bytes.count, !output.grow() { throw .tooLarge(.gzip, maxOutputSize) }
            let status: Int32 = output.bytes.withUnsafeMutableBytes { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.advanced(by: consumed).assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(input.count - consumed)
                stream.next_out = out.baseAddress!.advanced(by: output.count).assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(out.count - output.count)
                let before = (Int(stream.avail_in), Int(stream.avail_out))
                let status = inflate(&stream, Z_NO_FLUSH)
                consumed += before.0 - Int(stream.avail_in)
                output.count += before.1 - Int(stream.avail_out)
                return status
            }
            switch status {
            case Z_STREAM_END:
                // Another member may follow.
                guard consumed < input.count else { return output.result }
                guard inflateReset(&stream) == Z_OK else {
                    throw CompressionError(.libraryFailure, codec: .gzip, "inflateReset failed")
                }
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress possible: either the output is full (grow above) or the input ended early.
                if output.count < output.bytes.count { throw .malformed(.gzip, "the stream ends before its end marker") }
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw .malformed(.gzip, "invalid data at byte \(consumed): \(reason)")
            }
        }
    }

    static func compress(_ input: UnsafeRawBufferPointer) throws(CompressionError) -> [UInt8] {
        var stream = z_stream()
        // 15 + 16: a gzip header and trailer.
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CompressionError(.libraryFailure, codec: .gzip, "deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 32)
        let status: Int32 = output.withUnsafeMutableBytes { out in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(out.count)
            return deflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END else {
            throw CompressionError(.libraryFailure, codec: .gzip, "deflate failed with \(status)")
        }
        output.removeLast(Int(stream.avail_out))
        return output
    }
}
