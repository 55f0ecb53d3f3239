import Avro
import OrderedJSON
import Serde
import Testing

/// The synchronous paths (`serializeIfReady` / `deserializeIfReady`) that typed producers and
/// consumers take per record: nil until the registry has been asked once, then the same bytes
/// and values as the async paths, with no request to the registry, and the same errors.
struct ReadySerdeTests {
    func client(_ fake: FakeRegistry) -> SchemaRegistryClient {
        SchemaRegistryClient(configuration: .init(urls: ["http://registry.test"]), transport: fake)
    }

    static let user = #"{"type":"record","name":"User","namespace":"test","fields":[{"name":"name","type":"string"},{"name":"age","type":"int"}]}"#

    @Test("Avro: not ready before the topic's first record, then the async path's bytes without a registry call")
    func avroSerializer() async throws {
        let fake = FakeRegistry()
        let serializer = try AvroSerializer<AvroValue>(client: client(fake), schema: Schema(Self.user))
        let users = SerializationContext(topic: "users", field: .value)
        let value = AvroValue.record([.string("ada"), .int(36)])
        #expect(try serializer.serializeIfReady(value, context: users) == nil)
        let framed = try await serializer.serialize(value, context: users)
        let requests = fake.requests.count
        #expect(try serializer.serializeIfReady(value, context: users) == framed)
        #expect(fake.requests.count == requests)
        // Another topic is another subject: not ready until its own first record.
        #expect(try serializer.serializeIfReady(value, context: SerializationContext(topic: "admins", field: .value)) == nil)
        // A value that does not fit the schema fails the same way on either path.
        #expect(throws: SerdeError.self) { try serializer.serializeIfReady(.record([.int(1)]), context: users) }
    }

    @Test("Avro with useLatestVersion is never ready: the client's latest-version cache decides")
    func avroLatestVersion() async throws {
        let fake = FakeRegistry()
        let client = client(fake)
        _ = try await client.register(subject: "users-value", schema: Schema(Self.user))
        let serializer = try AvroSerializer<AvroValue>(client: client, schema: nil, options: SerializerOptions(autoRegisterSchemas: false, useLatestVersion: true))
        let users = SerializationContext(topic: "users", field: .value)
        _ = try await serializer.serialize(.record([.string("ada"), .int(36)]), context: users)
        #expect(try serializer.serializeIfReady(.record([.string("ada"), .int(36)]), context: users) == nil)
    }

    @Test("Avro: a writer schema is ready once fetched; another id is not; bad bytes fail on the sync path")
    func avroDeserializer() async throws {
        let fake = FakeRegistry()
        let client = client(fake)
        let users = SerializationContext(topic: "users", field: .value)
        let framed = try await AvroSerializer(client: client, for: Event.self)
            .serialize(Event(id: 1, name: "ada", tags: ["x"], score: 2), context: users)
        let deserializer = AvroDeserializer(client: client, for: Event.self)
        #expect(try deserializer.deserializeIfReady(framed, context: users) == nil)
        let value = try await deserializer.deserialize(framed, context: users)
        let requests = fake.requests.count
        #expect(try deserializer.deserializeIfReady(framed, context: users) == value)
        #expect(fake.requests.count == requests)
        #expect(try deserializer.deserializeIfReady([0, 0, 0, 0, 99] + framed.dropFirst(5), context: users) == nil)
        #expect(throws: SerdeError.self) { try deserializer.deserializeIfReady(Array(framed.prefix(7)), context: users) }
        #expect(throws: SerdeError.self) { try deserializer.deserializeIfReady([7, 0], context: users) }
    }

    @Test("JSON Schema: ready after the first record, the same bytes and documents")
    func json() async throws {
        let fake = FakeRegistry()
        let client = client(fake)
        let schema = Schema(#"{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}"#, type: .json)
        let serializer = try JSONSchemaSerializer<JSONValue>(client: client, schema: schema)
        let deserializer = JSONSchemaDeserializer<JSONValue>(client: client)
        let orders = SerializationContext(topic: "orders", field: .value)
        let document = try JSONParser.parse(#"{"n":3}"#)
        #expect(try serializer.serializeIfReady(document, context: orders) == nil)
        let framed = try await serializer.serialize(document, context: orders)
        #expect(try serializer.serializeIfReady(document, context: orders) == framed)
        #expect(throws: SerdeError.self) { try serializer.serializeIfReady(try JSONParser.parse(#"{"m":3}"#), context: orders) }
        #expect(try deserializer.deserializeIfReady(framed, context: orders) == nil)
        let read = try await deserializer.deserialize(framed, context: orders)
        #expect(try deserializer.deserializeIfReady(framed, context: orders) == read)
        // Without validation no schema is needed at all.
        #expect(try JSONSchemaDeserializer<JSONValue>(client: client, validate: false).deserializeIfReady(framed, context: orders) == document)
    }

    @Test("records larger than the reserved room, then smaller ones, are written whole")
    func growingRecords() async throws {
        let serializer = try AvroSerializer<AvroValue>(client: client(FakeRegistry()), schema: Schema(Self.user))
        let users = SerializationContext(topic: "users", field: .value)
        let schema = try AvroSchema(parsing: Self.user)
        for name in [String(repeating: "a", count: 3_000), "b", String(repeating: "c", count: 70), String(repeating: "d", count: 9_000)] {
            let value = AvroValue.record([.string(name), .int(1)])
            let framed = try await serializer.serialize(value, context: users)
            #expect(Array(framed.dropFirst(5)) == (try AvroBinaryEncoder.encode(value, schema: schema)), "\(name.count) characters")
            #expect(try serializer.serializeIfReady(value, context: users) == framed)
        }
    }

    @Test("strings and bytes are always ready")
    func plain() throws {
        let context = SerializationContext(topic: "t", field: .key)
        #expect(try StringSerde().serializeIfReady("k", context: context) == [0x6B])
        #expect(try StringSerde().deserializeIfReady([0x6B], context: context) == "k")
        #expect(try BytesSerde().serializeIfReady([1, 2], context: context) == [1, 2])
        #expect(try BytesSerde().deserializeIfReady([1, 2], context: context) == [1, 2])
    }
}
