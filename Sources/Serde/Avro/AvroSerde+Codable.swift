import Avro

// Typed Avro serializers over the Avro target's Codable bridge (`AvroEncoder` / `AvroDecoder`):
// a struct is a record by its coding keys, an Optional a union with null, and so on (see
// AvroEncoder). The writer schema is compiled once per schema id, the resolver once per
// (writer, reader) pair.

extension AvroSerializer where Value: Encodable {
    /// A serializer of Swift values to `schema` (nil with `useLatestVersion`: the subject's
    /// latest version, which the value's coding keys must fit).
    public convenience init(client: SchemaRegistryClient, schema: Schema?, for type: Value.Type = Value.self,
                            field: MessageField = .value, options: SerializerOptions = .init()) throws(SerdeError) {
        try self.init(client: client, schema: schema, field: field, options: options) { writer in
            let encoder = try AvroEncoder(schema: writer)
            guard RegistryAvroSchemas.isRawBytes(writer) else { return { value in try encoder.encode(value) } }
            // A bytes root goes unprefixed (Confluent's framing): drop Avro's length varint.
            return { value in
                let encoded = try encoder.encode(value)
                let prefix = encoded.firstIndex { $0 & 0x80 == 0 }.map { $0 + 1 } ?? encoded.count
                return Array(encoded[prefix...])
            }
        }
    }
}

extension AvroDeserializer where Value: Decodable {
    /// A deserializer of Swift values described by `readerSchema` (nil: the writer's schema, or
    /// the latest version with `useLatestVersion`).
    public convenience init(client: SchemaRegistryClient, readerSchema: AvroSchema? = nil, for type: Value.Type = Value.self,
                            field: MessageField = .value, options: DeserializerOptions = .init()) {
        self.init(client: client, readerSchema: readerSchema, field: field, options: options) { writer, reader in
            let decoder = try AvroDecoder(schema: reader, writerSchema: writer)
            if RegistryAvroSchemas.isRawBytes(writer) {
                return { payload in try decoder.decode(Value.self, from: AvroValue.bytes(Array(payload))) }
            }
            return { payload in try decoder.decode(Value.self, from: Array(payload)) }
        }
    }
}
