import Avro
import OrderedJSON
import Serde

/// Decodes keys or values in Confluent's wire format (the 5-byte prefix, the GUID prefix or
/// the `__key_schema_id` / `__value_schema_id` header) with Serde's deserializers, fetching
/// each writer schema from the registry once. Avro data is printed in Avro's JSON encoding,
/// read into `--reader-schema` when one is given; JSON Schema data is validated and printed.
final class RecordSchemaDecoder {
    let client: SchemaRegistryClient
    let field: MessageField
    let readerSchema: AvroSchema?
    private let avro: AvroDeserializer<AvroValue>
    private let json: JSONSchemaDeserializer<JSONValue>
    private var writers: [SchemaIdentifier: (type: SchemaType, avro: AvroSchema?)] = [:]

    init(client: SchemaRegistryClient, field: MessageField, readerSchema: AvroSchema?) {
        self.client = client
        self.field = field
        self.readerSchema = readerSchema
        self.avro = AvroDeserializer<AvroValue>(client: client, readerSchema: readerSchema, field: field)
        self.json = JSONSchemaDeserializer<JSONValue>(client: client, field: field)
    }

    /// The decoded field; nil for a null key or value.
    func decode(_ bytes: [UInt8]?, record: RenderedRecord) async throws -> DecodedField? {
        guard let bytes else { return nil }
        let headers = record.headers.map { (key: $0.key, value: $0.value) }
        let context = SerializationContext(topic: record.topic, field: field, headers: headers, partition: record.partition, offset: record.offset)
        let identifier: SchemaIdentifier
        do {
            identifier = try ConfluentWireFormat.locate(bytes, headers: headers, field: field).schema
        } catch {
            throw SerdeError.wireFormat(error, location: "\(record.topic)-\(record.partition)@\(record.offset) \(field.rawValue)")
        }
        let writer = try await writerSchema(identifier)
        let id: Int? = if case .id(let id) = identifier { id } else { nil }
        switch writer.type {
        case .avro:
            let value = try await avro.deserialize(bytes, context: context)
            guard let schema = readerSchema ?? writer.avro else {
                throw CommandFailure(message: "\(identifier) has references, which the CLI does not resolve for printing yet")
            }
            return DecodedField(json: try AvroJSON.encode(value, schema: schema), schemaID: id)
        case .json:
            return DecodedField(json: try await json.deserialize(bytes, context: context), schemaID: id)
        default:
            throw CommandFailure(message: "\(identifier) is a \(writer.type.rawValue) schema; the CLI decodes AVRO and JSON")
        }
    }

    private func writerSchema(_ identifier: SchemaIdentifier) async throws -> (type: SchemaType, avro: AvroSchema?) {
        if let known = writers[identifier] { return known }
        let registered: RegisteredSchema
        switch identifier {
        case .id(let id): registered = try await client.schema(id: id)
        case .guid(let guid): registered = try await client.schema(guid: guid.uuidString.lowercased())
        }
        var parsed: AvroSchema?
        if registered.schema.type == .avro && registered.schema.references.isEmpty {
            parsed = try? AvroSchema(parsing: registered.schema.text)
        }
        let entry = (registered.schema.type, parsed)
        writers[identifier] = entry
        return entry
    }
}
