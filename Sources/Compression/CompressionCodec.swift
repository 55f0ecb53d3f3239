/// The compression codecs of RecordBatch v2 (attributes bits 0-2). The records region after the
/// 61-byte header is compressed as one unit; the broker stores it as received and decompresses
/// only to look inside (validation, compaction).
public enum CompressionCodec: Int8, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case gzip = 1
    case snappy = 2
    case lz4 = 3
    case zstd = 4

    /// The codec of a batch's attributes; ids 5-7 are invalid.
    public init(batchAttributes: Int16) throws(CompressionError) {
        guard let codec = CompressionCodec(rawValue: Int8(batchAttributes & 0x07)) else {
            throw CompressionError(.unknownCodec, codec: nil, "unknown compression codec id \(batchAttributes & 0x07)")
        }
        self = codec
    }

    public var description: String {
        switch self {
        case .none: "none"
        case .gzip: "gzip"
        case .snappy: "snappy"
        case .lz4: "lz4"
        case .zstd: "zstd"
        }
    }

    /// Decompresses a records region.
    /// - Parameter maxOutputSize: the most bytes the result may have; a larger result throws
    ///   without being allocated (decompression bombs).
    public func decompress(_ input: UnsafeRawBufferPointer, maxOutputSize: Int) throws(CompressionError) -> [UInt8] {
        switch self {
        case .none:
            guard input.count <= maxOutputSize else { throw .tooLarge(self, maxOutputSize) }
            return Array(input)
        case .gzip: return try Gzip.decompress(input, maxOutputSize: maxOutputSize)
        case .snappy: return try Snappy.decompress(input, maxOutputSize: maxOutputSize)
        case .lz4: return try LZ4Frame.decompress(input, maxOutputSize: maxOutputSize)
        case .zstd: return try Zstd.decompress(input, maxOutputSize: maxOutputSize)
        }
    }

    /// Compresses a records region in the framing every Kafka client reads: a gzip stream,
    /// snappy in snappy-java's "xerial" framing (what the Java client writes; librdkafka,
    /// kafka-python and aiokafka read it too), an LZ4 frame, a zstd frame.
    public func compress(_ input: UnsafeRawBufferPointer) throws(CompressionError) -> [UInt8] {
        switch self {
        case .none: return Array(input)
        case .gzip: return try Gzip.compress(input)
        case .snappy: return try Snappy.compressXerial(input)
        case .lz4: return try LZ4Frame.compress(input)
        case .zstd: return try Zstd.compress(input)
        }
    }

    /// Convenience for byte arrays.
    public func decompress(_ input: [UInt8], maxOutputSize: Int) throws(CompressionError) -> [UInt8] {
        var result: Result<[UInt8], CompressionError> = .success([])
        input.withUnsafeBytes { raw in
            do throws(CompressionError) { result = .success(try decompress(raw, maxOutputSize: maxOutputSize)) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    /// Convenience for byte arrays.
    public func compress(_ input: [UInt8]) throws(CompressionError) -> [UInt8] {
        var result: Result<[UInt8], CompressionError> = .success([])
        input.withUnsafeBytes { raw in
            do throws(CompressionError) { result = .success(try compress(raw)) } catch { result = .failure(error) }
        }
        return try result.get()
    }
}

/// A codec failure: which codec, and what was wrong with the input.
public struct CompressionError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: Sendable, Equatable {
        case unknownCodec
        case malformedInput
        /// The output would exceed the allowed size.
        case outputTooLarge
        case libraryFailure
    }

    public var code: Code
    public var codec: CompressionCodec?
    public var message: String

    init(_ code: Code, codec: CompressionCodec?, _ message: String) {
        self.code = code
        self.codec = codec
        self.message = message
    }

    public var description: String { codec.map { "\($0): \(message)" } ?? message }

    static func tooLarge(_ codec: CompressionCodec, _ limit: Int) -> CompressionError {
        CompressionError(.outputTooLarge, codec: codec, "the decompressed data exceeds \(limit) bytes")
    }

    static func malformed(_ codec: CompressionCodec, _ message: String) -> CompressionError {
        CompressionError(.malformedInput, codec: codec, message)
    }
}

/// An output buffer that grows toward a hard limit, never past it.
struct BoundedOutput {
    var bytes: [UInt8]
    var count = 0
    let limit: Int

    init(expected: Int, limit: Int) {
        self.limit = limit
        bytes = [UInt8](repeating: 0, count: max(1, min(limit, max(expected, 4096))))
    }

    /// Makes room for more output; false when the limit is reached.
    mutating func grow() -> Bool {
        guard bytes.count < limit else { return false }
        bytes.append(contentsOf: repeatElement(0, count: min(limit, bytes.count * 2) - bytes.count))
        return true
    }

    var result: [UInt8] { Array(bytes[..<count]) }
}
