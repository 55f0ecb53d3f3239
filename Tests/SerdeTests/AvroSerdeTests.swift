import Avro
import Foundation
import OrderedJSON
import Serde
import Testing

@Suite("Avro serializers over a registry")
struct AvroSerdeTests {
    static let v1 = #"{"type":"record","name":"User","namespace":"shop","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"}]}"#
    static let v2 = #"{"type":"record","name":"User","namespace":"shop","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"},{"name":"email","type":["null","string"],"default":null},{"name":"level","type":"int","default":1}]}"#
    /// Needs a field v1 data lacks, without a default.
    static let unreadable = #"{"type":"record","name":"User","namespace":"shop","fields":[{"name":"id","type":"long"},{"name":"country","type":"string"}]}"#

    struct User: Codable, Equatable {
        var id: Int64
        var name: String
    }

    struct UserV2: Codable, Equatable {
        var id: Int64
        var name: String
        var email: String?
        var level: Int32
    }

    func client(_ fake: FakeRegistry) -> SchemaRegistryClient {
        SchemaRegistryClient(configuration: .init(urls: ["http://registry.test"]), transport: fake)
    }

    @Test("generic records: framed with the registered id, read back into an evolved reader with defaults")
    func genericEvolution() async throws {
        let fake = FakeRegistry()
        let client = client(fake)
        let serializer = try AvroSerializer<AvroValue>(client: client, schema: Schema(Self.v1))
        let context = SerializationContext(topic: "users", field: .value)
        let bytes = try await serializer.serialize(.record([.long(7), .string("ada")]), context: context)
        #expect(Array(bytes.prefix(5)) == [0, 0, 0, 0, 1])
        #expect(Array(bytes.dropFirst(5)) == [14, 6] + Array("ada".utf8))

        let reader = try AvroSchema(parsing: Self.v2)
        let deserializer = AvroDeserializer<AvroValue>(client: client, readerSchema: reader)
        let value = try await deserializer.deserialize(bytes, context: context)
        #expect(value == .record([.long(7), .string("ada"), .union(0, .null), .int(1)]))
        // Writer schema fetched once for many records.
        let before = fake.requests.count
        _ = try await deserializer.deserialize(bytes, context: context)
        #expect(fake.requests.count == before)
    }

    @Test("typed values through the Codable bridge, old data read by the new type")
    func typed() async throws {
        let fake = FakeRegistry()
        let client = client(fake)
        let serializer = try AvroSerializer<User>(client: client, schema: Schema(Self.v1))
        let context = SerializationContext(topic: "users", field: .value)
        let bytes = try await serializer.serialize(User(id: 1, name: "grace"), context: context)
        let same = try await AvroDeserializer<User>(client: client).deserialize(bytes, context: context)
        #expect(same == User(id: 1, name: "grace"))
        let evolved = try await AvroDeserializer<UserV2>(client: client, readerSchema: AvroSchema(parsing: Self.v2)).deserialize(bytes, context: context)
        #expect(evolved == UserV2(id: 1, name: "grace", email: nil, level: 1))
    }

    @Test("an unresolvable writer names topic, partition, offset, schema id and field")
    func unresolvable() async throws {
        let fake = FakeRegistry()
        let client = client(fake)
        let bytes = try await AvroSerializer<AvroValue>(client: client, schema: Schema(Self.v1))
            .serialize(.record([.long(1), .string("x")]), context: .init(topic: "users", field: .value))
        let deserializer = AvroDeserializer<AvroValue>(client: client, readerSchema: try AvroSchema(parsing: Self.unreadable))
        do {
            _ = try await deserializer.deserialize(bytes, context: .init(topic: "users", field: .value, partition: 3, offset: 42))
            Issue.record("resolved")
        } catch {
            guard case .unresolvable(_, let schema, let field, _) = error else { Issue.record("\(error)"); return }
            #expect(schema == .id(1))
            #expect(field == "country")
            for part in ["topic users", "partition 3", "offset 42", "schema id 1", "country"] {
                #expect(error.description.contains(part), "\(error.description)")
            }
        }
    }

    @Test("autoRegisterSchemas off: a registered schema is looked up, an unknown one refused")
    func lookupOnly() async throws {
        let fake = FakeRegistry()
        let client = client(fake)
        let options = SerializerOptions(autoRegisterSchemas: false)
        let context = SerializationContext(topic: "users", field: .value)
        await #expect(throws: SerdeError.self) {
            _ = try await AvroSerializer<AvroValue>(client: client, schema: Schema(Self.v1), options: options)
                .serialize(.record([.long(1), .string("x")]), context: context)
        }
        _ = try await client.register(subject: "users-value", schema: Schema(Self.v1))
        let bytes = try await AvroSerializer<AvroValue>(client: client, schema: Schema(Self.v1), options: options)
            .serialize(.record([.long(1), .string("x")]), context: context)
        #expect(Array(bytes.prefix(5)) == [0, 0, 0, 0, 1])
        #expect(fake.requests.filter { $0.method == "POST" && $0.url.contains("/versions") }.count == 1)
    }

    @Test("useLatestVersion writes with the subject's latest schema")
    func useLatest() async throws {
        let fake = FakeRegistry()
        let client = client(fake)
        _ = try await client.register(subject: "users-value", schema: Schema(Self.v1))
        _ = try await client.register(subject: "users-value", schema: Schema(Self.v2))
        let serializer = try AvroSerializer<UserV2>(client: client, schema: nil, options: SerializerOptions(useLatestVersion: true))
        let bytes = try await serializer.serialize(UserV2(id: 2, name: "b", email: "b@x", level: 3), context: .init(topic: "users", field: .value))
        #expect(Array(bytes.prefix(5)) == [0, 0, 0, 0, 2])
    }

    @Test("record-name strategies register under the record's full name", arguments: [
        (SubjectNameStrategy.recordName, "shop.User"), (.topicRecordName, "users-shop.User"), (.topicName, "users-key"),
    ])
    func strategies(_ strategy: SubjectNameStrategy, _ subject: String) async throws {
        let fake = FakeRegistry()
        let serializer = try AvroSerializer<AvroValue>(client: client(fake), schema: Schema(Self.v1), field: .key,
                                                       options: SerializerOptions(subjectNameStrategy: strategy))
        #expect(try serializer.subject(topic: "users") == subject)
        _ = try await serializer.serialize(.record([.long(1), .string("x")]), context: .init(topic: "users", field: .key))
        let encoded = subject.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~")))!
        #expect(fake.requests.first?.url.contains("/subjects/\(encoded)/versions") == true)
    }

    @Test("a value that does not fit the schema is refused with the subject")
    func invalidValue() async throws {
        let serializer = try AvroSerializer<AvroValue>(client: client(FakeRegistry()), schema: Schema(Self.v1))
        do {
            _ = try await serializer.serialize(.record([.string("not a long")]), context: .init(topic: "users", field: .value))
            Issue.record("serialized")
        } catch {
            guard case .invalidValue(let subject, let id, _) = error else { Issue.record("\(error)"); return }
            #expect(subject == "users-value" && id == 1)
        }
    }

    @Test("a top-level bytes schema is written raw, without Avro's length prefix")
    func rawBytes() async throws {
        let client = client(FakeRegistry())
        let bytes = try await AvroSerializer<AvroValue>(client: client, schema: Schema(#""bytes""#))
            .serialize(.bytes([1, 2, 3]), context: .init(topic: "b", field: .value))
        #expect(bytes == [0, 0, 0, 0, 1, 1, 2, 3])
        let back = try await AvroDeserializer<AvroValue>(client: client).deserialize(bytes, context: .init(topic: "b", field: .value))
        #expect(back == .bytes([1, 2, 3]))
    }

    @Test("JSON Schema: valid documents framed, invalid ones refused with the violation's path")
    func jsonSchema() async throws {
        let client = client(FakeRegistry())
        let schema = Schema(#"{"title":"Order","type":"object","properties":{"id":{"type":"integer","minimum":1}},"required":["id"]}"#, type: .json)
        let serializer = try JSONSchemaSerializer<JSONValue>(client: client, schema: schema)
        let context = SerializationContext(topic: "orders", field: .value)
        let bytes = try await serializer.serialize(try JSONParser.parse(#"{"id":5}"#), context: context)
        #expect(bytes == [0, 0, 0, 0, 1] + Array(#"{"id":5}"#.utf8))
        let back = try await JSONSchemaDeserializer<JSONValue>(client: client).deserialize(bytes, context: context)
        #expect(back == (try JSONParser.parse(#"{"id":5}"#)))
        let invalid = try JSONParser.parse(#"{"id":0}"#)
        do {
            _ = try await serializer.serialize(invalid, context: context)
            Issue.record("serialized an invalid document")
        } catch {
            #expect(error.description.contains("/id"), "\(error.description)")
        }
    }
}
