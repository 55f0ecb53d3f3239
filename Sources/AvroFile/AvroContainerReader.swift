import Avro

/// Reads a container file held in memory: the header on `init`, the blocks on demand. Every
/// count and size is checked against the bytes left, every block's sync marker against the
/// header's, and a compressed block may not inflate beyond `maxBlockSize`.
public struct AvroContainerReader: Sendable {
    /// The writer schema, from `avro.schema`.
    public let schema: AvroSchema
    /// `avro.schema` as stored.
    public let schemaText: String
    public let codec: AvroFileCodec
    /// Every header entry, `avro.*` included, in file order.
    public let metadata: [(key: String, value: [UInt8])]
    public let sync: [UInt8]
    public let maxBlockSize: Int
    private let bytes: [UInt8]
    private let firstBlock: Int
    private let spans: AvroDatumSpans

    public init(bytes: [UInt8], maxBlockSize: Int = 256 << 20) throws(AvroFileError) {
        guard bytes.count >= 4, Array(bytes[0..<4]) == AvroContainer.magic else {
            throw AvroFileError("not an Avro container file: it does not begin with Obj\\x01")
        }
        var cursor = Cursor(bytes: bytes, position: 4)
        var entries: [(key: String, value: [UInt8])] = []
        do throws(AvroFileError) {
            while true {
                var count = try cursor.long("metadata block count")
                if count == 0 { break }
                if count < 0 {
                    guard count != .min else { throw AvroFileError("invalid metadata block count") }
                    count = -count
                    _ = try cursor.long("metadata block size")
                }
                guard count <= Int64(cursor.remaining) else { throw AvroFileError("\(count) metadata entries exceed the file") }
                for _ in 0..<count {
                    let key = String(decoding: try cursor.lengthPrefixed("metadata key"), as: UTF8.self)
                    entries.append((key, Array(try cursor.lengthPrefixed("metadata value of \(key)"))))
                }
            }
        } catch {
            throw AvroFileError("the file header is corrupt: \(error.message)")
        }
        guard cursor.remaining >= AvroContainer.syncSize else { throw AvroFileError("the file header is truncated before its sync marker") }
        sync = Array(bytes[cursor.position..<(cursor.position + AvroContainer.syncSize)])
        firstBlock = cursor.position + AvroContainer.syncSize
        metadata = entries
        guard let schemaBytes = entries.first(where: { $0.key == "avro.schema" })?.value else {
            throw AvroFileError("the file header has no avro.schema")
        }
        schemaText = String(decoding: schemaBytes, as: UTF8.self)
        do {
            schema = try AvroSchema(parsing: schemaText)
        } catch {
            throw AvroFileError("the file's avro.schema is invalid: \(error)")
        }
        let codecName = entries.first(where: { $0.key == "avro.codec" }).map { String(decoding: $0.value, as: UTF8.self) } ?? "null"
        codec = try AvroFileCodec(name: codecName)
        self.maxBlockSize = maxBlockSize
        self.bytes = bytes
        spans = AvroDatumSpans(schema: schema)
    }

    /// A metadata value as text, when present.
    public func metadataText(_ key: String) -> String? {
        metadata.first(where: { $0.key == key }).map { String(decoding: $0.value, as: UTF8.self) }
    }

    /// Calls `body` with each block's datums (each in the writer schema's binary encoding).
    public func forEachBlock(_ body: ([[UInt8]]) throws -> Void) throws {
        var cursor = Cursor(bytes: bytes, position: firstBlock)
        var index = 0
        while cursor.remaining > 0 {
            let datums: [[UInt8]]
            do throws(AvroFileError) {
                let count = try cursor.long("datum count")
                let size = try cursor.long("block size")
                guard count >= 0, size >= 0 else { throw AvroFileError("negative datum count \(count) or size \(size)") }
                guard size <= Int64(cursor.remaining) - Int64(AvroContainer.syncSize) else {
                    throw AvroFileError("its \(size) bytes and sync marker exceed the \(cursor.remaining) bytes left")
                }
                let start = cursor.position
                let end = start + Int(size)
                guard bytes[end..<(end + AvroContainer.syncSize)].elementsEqual(sync) else {
                    throw AvroFileError("its sync marker at byte \(end) is not the header's")
                }
                cursor.position = end + AvroContainer.syncSize
                let block = try codec.decompress(bytes[start..<end], limit: maxBlockSize)
                datums = try spans.spans(in: block, count: Int(count)).map { Array(block[$0]) }
            } catch {
                throw AvroFileError("block \(index) (at byte \(cursor.position)): \(error.message)")
            }
            try body(datums)
            index += 1
        }
    }

    /// Every datum of the file in the writer schema's binary encoding.
    public func datums() throws -> [[UInt8]] {
        var all: [[UInt8]] = []
        try forEachBlock { all.append(contentsOf: $0) }
        return all
    }

    /// Calls `body` with each value, resolved into `reader` when given.
    public func forEachValue(reader: AvroSchema? = nil, _ body: (AvroValue) throws -> Void) throws {
        let datumReader = try AvroDatumReader(writer: schema, reader: reader)
        var index = 0
        try forEachBlock { datums in
            for datum in datums {
                do {
                    try body(try datumReader.read(datum))
                } catch let error as AvroCodingError {
                    throw AvroFileError("datum \(index): \(error.message)")
                }
                index += 1
            }
        }
    }

    /// Every value of the file, resolved into `reader` when given.
    public func values(reader: AvroSchema? = nil) throws -> [AvroValue] {
        var all: [AvroValue] = []
        try forEachValue(reader: reader) { all.append($0) }
        return all
    }

    /// Every datum decoded as a Swift type described by `reader` (the writer schema when nil).
    public func decode<T: Decodable>(_ type: T.Type, reader: AvroSchema? = nil) throws -> [T] {
        let decoder = try AvroDecoder(schema: reader ?? schema, writerSchema: schema)
        var all: [T] = []
        try forEachBlock { datums in
            for datum in datums { all.append(try decoder.decode(type, from: datum)) }
        }
        return all
    }
}

/// A bounds-checked position in the file's bytes.
private struct Cursor {
    let bytes: [UInt8]
    var position: Int
    var remaining: Int { bytes.count - position }

    mutating func long(_ what: String) throws(AvroFileError) -> Int64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count else { throw AvroFileError("truncated \(what) at byte \(position)") }
            guard shift < 64 else { throw AvroFileError("\(what) at byte \(position) is longer than 10 bytes") }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
    }

    mutating func lengthPrefixed(_ what: String) throws(AvroFileError) -> ArraySlice<UInt8> {
        let length = try long("length of the \(what)")
        guard length >= 0, length <= Int64(remaining) else {
            throw AvroFileError("the \(what) at byte \(position) claims \(length) bytes; \(remaining) are left")
        }
        defer { position += Int(length) }
        return bytes[position..<(position + Int(length))]
    }
}
