import CAvro

/// Why a container file could not be read or written, and where.
public struct AvroFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The block codecs of Object Container Files that this build has: the ones avro-c links
/// (zlib's raw deflate and snappy), called through the CAvro shim.
public enum AvroFileCodec: String, Sendable, CaseIterable {
    case null
    /// Raw deflate (RFC 1951), no zlib header or checksum.
    case deflate
    /// Snappy, each block followed by the big-endian CRC-32 of its uncompressed bytes.
    case snappy

    /// The codec named in a file's `avro.codec` (absent means null).
    public init(name: String) throws(AvroFileError) {
        guard let codec = AvroFileCodec(rawValue: name) else {
            throw AvroFileError("unsupported codec \"\(name)\" (this build has \(AvroFileCodec.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = codec
    }

    func compress(_ block: [UInt8]) throws(AvroFileError) -> [UInt8] {
        switch self {
        case .null:
            return block
        case .deflate:
            var output = [UInt8](repeating: 0, count: cavro_deflate_bound(block.count))
            let produced = block.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { cavro_deflate(input.baseAddress, input.count, $0.baseAddress, $0.count) }
            }
            guard produced >= 0 else { throw AvroFileError("deflate failed (\(produced))") }
            output.removeLast(output.count - produced)
            return output
        case .snappy:
            var output = [UInt8](repeating: 0, count: cavro_snappy_bound(block.count) + 4)
            let produced = block.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { cavro_snappy_compress(input.baseAddress, input.count, $0.baseAddress, $0.count - 4) }
            }
            guard produced >= 0 else { throw AvroFileError("snappy compression failed") }
            let crc = block.withUnsafeBufferPointer { cavro_crc32($0.baseAddress, $0.count) }
            output.removeLast(output.count - produced)
            output.append(contentsOf: [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
            return output
        }
    }

    /// The uncompressed block, refused when it would exceed `limit` bytes (a small hostile block
    /// must not make the reader allocate without bound).
    func decompress(_ block: ArraySlice<UInt8>, limit: Int) throws(AvroFileError) -> [UInt8] {
        switch self {
        case .null:
            return Array(block)
        case .deflate:
            var capacity = min(max(block.count * 4, 64 * 1024), limit)
            while true {
                var output = [UInt8](repeating: 0, count: capacity)
                let produced = block.withUnsafeBufferPointer { input in
                    output.withUnsafeMutableBufferPointer { cavro_inflate(input.baseAddress, input.count, $0.baseAddress, $0.count) }
                }
                if produced >= 0 {
                    output.removeLast(output.count - produced)
                    return output
                }
                guard produced == -2 else { throw AvroFileError("the deflate data is corrupt") }
                guard capacity < limit else { throw AvroFileError("the block inflates beyond the \(limit)-byte limit") }
                capacity = min(capacity * 2, limit)
            }
        case .snappy:
            guard block.count >= 4 else { throw AvroFileError("a snappy block needs its 4-byte CRC-32") }
            let data = block.dropLast(4)
            let length = data.withUnsafeBufferPointer { cavro_snappy_uncompressed_length($0.baseAddress, $0.count) }
            guard length >= 0 else { throw AvroFileError("the snappy data is corrupt") }
            guard length <= limit else { throw AvroFileError("the snappy block says it holds \(length) bytes, beyond the \(limit)-byte limit") }
            var output = [UInt8](repeating: 0, count: length)
            let produced = data.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { cavro_snappy_uncompress(input.baseAddress, input.count, $0.baseAddress, $0.count) }
            }
            guard produced == length else { throw AvroFileError("the snappy data is corrupt") }
            let crc = output.withUnsafeBufferPointer { cavro_crc32($0.baseAddress, $0.count) }
            let stored = block.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            guard crc == stored else { throw AvroFileError("the snappy block's CRC-32 does not match its data") }
            return output
        }
    }
}
