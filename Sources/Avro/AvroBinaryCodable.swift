/// A type that reads and writes its own Avro binary encoding, without Codable's containers:
/// what `sluice avro codegen` generates for a schema's records and enums. Generated code
/// writes the fields straight in schema order, so it costs about what the generic codec does,
/// several times less than going through `Encoder` / `Decoder` (docs/performance.md).
public protocol AvroBinaryCodable: Sendable {
    /// Reads one value from where `reader` stands.
    init(avro reader: inout AvroReader) throws(AvroCodingError)
    /// Appends this value's encoding.
    func writeAvro(to writer: inout AvroWriter) throws(AvroCodingError)
}

/// A generated record type: its own binary coding, its schema, and Codable conformance (so it
/// also reads data of any other compatible writer schema through ``AvroDecoder``'s resolution).
///
/// The serializers in Serde use the generated code when the writer schema is the type's own
/// (same Parsing Canonical Form) and fall back to the Codable bridge otherwise.
public protocol AvroSpecificRecord: AvroBinaryCodable, Codable {
    /// The schema the generated code follows.
    static var avroSchema: AvroSchema { get }
}

extension AvroBinaryCodable {
    /// Decodes one datum: the whole of `bytes` (trailing bytes are an error, as in
    /// ``AvroDatumReader``). Inlinable, so that it is specialized for the generated type.
    @inlinable
    public init(avroBinary bytes: some Collection<UInt8>) throws(AvroCodingError) {
        let result: Result<Self, AvroCodingError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Self.read(UnsafeRawBufferPointer(buffer))
        }
        switch result ?? Self.read(Array(bytes)) {
        case .success(let value): self = value
        case .failure(let error): throw error
        }
    }

    @inlinable
    static func read(_ bytes: [UInt8]) -> Result<Self, AvroCodingError> {
        bytes.withUnsafeBytes { read($0) }
    }

    @inlinable
    static func read(_ raw: UnsafeRawBufferPointer) -> Result<Self, AvroCodingError> {
        var reader = AvroReader(raw)
        do throws(AvroCodingError) {
            let value = try Self(avro: &reader)
            guard reader.remaining == 0 else { return .failure(reader.trailingBytesError()) }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    /// This value's encoding, appended to `bytes` (a frame's prefix, say).
    @inlinable
    public func avroBinary(appendingTo bytes: [UInt8] = []) throws(AvroCodingError) -> [UInt8] {
        var bytes = bytes
        try appendAvroBinary(to: &bytes)
        return bytes
    }

    /// Appends this value's encoding to `bytes` in place (written into stack scratch first, then
    /// copied once: a caller that reserved the room allocates nothing here).
    @inlinable
    public func appendAvroBinary(to bytes: inout [UInt8]) throws(AvroCodingError) {
        try withUnsafeTemporaryAllocation(byteCount: AvroWriter.scratchSize, alignment: 16) { scratch throws(AvroCodingError) in
            var writer = AvroWriter(scratch: scratch)
            try writeAvro(to: &writer)
            writer.append(to: &bytes)
        }
    }
}
