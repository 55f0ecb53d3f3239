/// Avro's single-object encoding: the marker `C3 01`, the writer schema's CRC-64-AVRO fingerprint
/// as 8 little-endian bytes, then the datum's binary encoding. A reader finds the writer schema
/// by its fingerprint.
public enum AvroSingleObject {
    public static let marker: [UInt8] = [0xC3, 0x01]
    /// The marker and the fingerprint.
    public static let headerSize = 10

    /// The 10-byte header of messages written with `schema`.
    public static func header(for schema: AvroSchema) -> [UInt8] {
        marker + withUnsafeBytes(of: schema.rabinFingerprint.littleEndian, Array.init)
    }

    /// Wraps an already-encoded datum of `schema`.
    public static func wrap(_ datum: [UInt8], schema: AvroSchema) -> [UInt8] {
        var message = header(for: schema)
        message.append(contentsOf: datum)
        return message
    }

    /// The single-object encoding of a generic value.
    public static func encode(_ value: AvroValue, schema: AvroSchema) throws(AvroCodingError) -> [UInt8] {
        var encoder = AvroBinaryEncoder(schema: schema)
        try encoder.encode(value)
        return wrap(encoder.bytes, schema: schema)
    }

    /// The single-object encoding of a Swift value, under the encoder's schema.
    public static func encode<T: Encodable>(_ value: T, encoder: AvroEncoder) throws -> [UInt8] {
        var message = header(for: encoder.schema)
        try encoder.encode(value, into: &message)
        return message
    }

    /// The writer schema's fingerprint in `message`, after checking the marker.
    public static func fingerprint(of message: [UInt8]) throws(AvroCodingError) -> UInt64 {
        guard message.count >= headerSize else {
            throw AvroCodingError("a single-object message needs at least \(headerSize) bytes (C3 01 and an 8-byte fingerprint); this one has \(message.count)")
        }
        guard message[0] == marker[0], message[1] == marker[1] else {
            throw AvroCodingError("not single-object encoded: the message begins \(hex(message[0])) \(hex(message[1])), not C3 01")
        }
        var fingerprint: UInt64 = 0
        for index in (2..<headerSize).reversed() { fingerprint = fingerprint << 8 | UInt64(message[index]) }
        return fingerprint
    }

    static func hex(_ byte: UInt8) -> String {
        (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }

    /// A fingerprint as the 16 hex digits of its little-endian bytes (how `sluice avro fingerprint` prints it).
    static func hex(fingerprint: UInt64) -> String {
        withUnsafeBytes(of: fingerprint.littleEndian) { $0.map { hex($0).lowercased() }.joined() }
    }
}

/// Writer schemas by CRC-64-AVRO fingerprint, for reading single-object messages.
public struct AvroSchemaStore: Sendable {
    public private(set) var schemas: [UInt64: AvroSchema] = [:]

    public init(_ schemas: [AvroSchema] = []) {
        for schema in schemas { add(schema) }
    }

    public mutating func add(_ schema: AvroSchema) {
        schemas[schema.rabinFingerprint] = schema
    }

    public func schema(fingerprint: UInt64) -> AvroSchema? { schemas[fingerprint] }
}

/// Reads single-object messages: finds each message's writer schema in a store and resolves the
/// datum into the reader schema (or reads it as written when there is none). The resolver of each
/// writer schema is compiled once and kept.
public struct AvroSingleObjectReader: Sendable {
    public let reader: AvroSchema?
    public var store: AvroSchemaStore
    private var datumReaders: [UInt64: AvroDatumReader] = [:]
    private var decoders: [UInt64: AvroDecoder] = [:]

    public init(store: AvroSchemaStore, reader: AvroSchema? = nil) {
        self.store = store
        self.reader = reader
    }

    private func writer(_ fingerprint: UInt64) throws(AvroCodingError) -> AvroSchema {
        guard let schema = store.schema(fingerprint: fingerprint) else {
            throw AvroCodingError("unknown writer schema: no schema in the store has fingerprint \(AvroSingleObject.hex(fingerprint: fingerprint))")
        }
        return schema
    }

    /// The datum of `message` as a value of the reader schema.
    public mutating func read(_ message: [UInt8]) throws(AvroCodingError) -> AvroValue {
        let fingerprint = try AvroSingleObject.fingerprint(of: message)
        if datumReaders[fingerprint] == nil {
            datumReaders[fingerprint] = try AvroDatumReader(writer: try writer(fingerprint), reader: reader)
        }
        return try datumReaders[fingerprint]!.read(Array(message[AvroSingleObject.headerSize...]))
    }

    /// The datum of `message` as a Swift value described by the reader schema (which is required).
    public mutating func decode<T: Decodable>(_ type: T.Type = T.self, from message: [UInt8]) throws -> T {
        guard let reader else { throw AvroCodingError("decoding a Swift type needs the reader schema that describes it") }
        let fingerprint = try AvroSingleObject.fingerprint(of: message)
        if decoders[fingerprint] == nil {
            decoders[fingerprint] = try AvroDecoder(schema: reader, writerSchema: try writer(fingerprint))
        }
        return try decoders[fingerprint]!.decode(type, from: Array(message[AvroSingleObject.headerSize...]))
    }
}
