import Avro

/// Object Container File framing, in memory: the magic `Obj\u{1}`, a metadata map (`avro.schema`,
/// `avro.codec` and the user's entries), a 16-byte sync marker, then blocks of (datum count, byte
/// size, compressed datums, the sync marker again). Values go through Sluice's own codec, so the
/// schema is stored exactly as ``AvroSchema/text`` prints it (logical types, defaults and custom
/// properties kept).
public enum AvroContainer {
    public static let magic: [UInt8] = [0x4F, 0x62, 0x6A, 0x01]
    public static let syncSize = 16
}

/// Builds a container file: the header first, then a block each time `blockSize` bytes of datums
/// have gathered. Take the finished bytes with ``takeOutput()`` as often as you like.
public struct AvroContainerWriter: Sendable {
    public let schema: AvroSchema
    public let codec: AvroFileCodec
    public let sync: [UInt8]
    /// Uncompressed datum bytes after which a block is closed.
    public let blockSize: Int
    private var output: [UInt8] = []
    private var block: [UInt8] = []
    private var blockCount = 0
    private var encoder: AvroBinaryEncoder

    /// - Parameters:
    ///   - metadata: extra header entries (keys beginning `avro.` are reserved and refused).
    ///   - sync: the sync marker; random when nil.
    public init(schema: AvroSchema, codec: AvroFileCodec = .null, metadata: [(key: String, value: [UInt8])] = [],
                sync: [UInt8]? = nil, blockSize: Int = 64 * 1024) throws(AvroFileError) {
        if let reserved = metadata.first(where: { $0.key.hasPrefix("avro.") }) {
            throw AvroFileError("metadata key \(reserved.key) is reserved (avro.* keys are the format's)")
        }
        var generator = SystemRandomNumberGenerator()
        let marker = sync ?? (0..<AvroContainer.syncSize).map { _ in UInt8.random(in: 0...255, using: &generator) }
        guard marker.count == AvroContainer.syncSize else { throw AvroFileError("a sync marker has 16 bytes, not \(marker.count)") }
        self.schema = schema
        self.codec = codec
        self.sync = marker
        self.blockSize = max(blockSize, 1)
        encoder = AvroBinaryEncoder(schema: schema)
        let entries = [("avro.schema", Array(schema.text.utf8)), ("avro.codec", Array(codec.rawValue.utf8))] + metadata.map { ($0.key, $0.value) }
        output = AvroContainer.magic
        appendLong(Int64(entries.count), to: &output)
        for (key, value) in entries {
            appendLong(Int64(key.utf8.count), to: &output)
            output.append(contentsOf: key.utf8)
            appendLong(Int64(value.count), to: &output)
            output.append(contentsOf: value)
        }
        output.append(0)
        output.append(contentsOf: marker)
    }

    /// Appends one datum already in the schema's binary encoding.
    public mutating func append(datum: [UInt8]) throws(AvroFileError) {
        block.append(contentsOf: datum)
        blockCount += 1
        if block.count >= blockSize { try flushBlock() }
    }

    /// Appends a generic value of the schema.
    public mutating func append(_ value: AvroValue) throws(AvroFileError) {
        encoder.reset()
        do {
            try encoder.encode(value)
        } catch {
            throw AvroFileError("datum \(blockCount): \(error.message)")
        }
        try append(datum: encoder.bytes)
    }

    /// Appends a Swift value, encoded by `encoder` (whose schema must be the file's).
    public mutating func append<T: Encodable>(_ value: T, encoder: AvroEncoder) throws {
        let before = block.count
        do {
            try encoder.encode(value, into: &block)
        } catch {
            // Drop the part of the datum written before the failure.
            block.removeLast(block.count - before)
            throw error
        }
        blockCount += 1
        if block.count >= blockSize { try flushBlock() }
    }

    /// Closes the open block, if it has datums.
    public mutating func flushBlock() throws(AvroFileError) {
        guard blockCount > 0 else { return }
        let compressed = try codec.compress(block)
        appendLong(Int64(blockCount), to: &output)
        appendLong(Int64(compressed.count), to: &output)
        output.append(contentsOf: compressed)
        output.append(contentsOf: sync)
        block.removeAll(keepingCapacity: true)
        blockCount = 0
    }

    /// The bytes finished so far (the header, then whole blocks); they are not returned again.
    public mutating func takeOutput() -> [UInt8] {
        defer { output.removeAll(keepingCapacity: true) }
        return output
    }

    /// Closes the open block and returns the rest of the file.
    public mutating func finish() throws(AvroFileError) -> [UInt8] {
        try flushBlock()
        return takeOutput()
    }
}

func appendLong(_ value: Int64, to bytes: inout [UInt8]) {
    var zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
    while zigzag >= 0x80 {
        bytes.append(UInt8(truncatingIfNeeded: zigzag) | 0x80)
        zigzag >>= 7
    }
    bytes.append(UInt8(zigzag))
}
