// An evolving consumer: records written under schemas/user-v1.avsc and under user-v2.avsc are
// all read into `UserV2`. The deserializer fetches each writer schema by the id in the record,
// compiles one resolver per (writer, reader) pair, and fills v2's new fields (`email`, `tier`)
// from their defaults for v1 records.
//
//   swift run example-evolving-consumer [topic]     writes 2 v1 and 1 v2 users, reads all back
//   swift run example-evolving-consumer topic --consume-only [--count N]
import Avro
import ExampleSupport
import Foundation
import KafkaClient
import Serde
import TypedKafka

let topic = ExampleEnvironment.topic(default: "evolving-users")
let registry = SchemaRegistryClient(url: ExampleEnvironment.registryURL)

if !ExampleEnvironment.flag("--consume-only") {
    let bootstrap = ProducerConfiguration(bootstrap: ExampleEnvironment.bootstrap)
    let v1 = TypedProducer(producer: try KafkaProducer(configuration: bootstrap), keySerializer: StringSerde(),
                           valueSerializer: try AvroSerializer(client: registry, schema: Schema(try ExampleEnvironment.schemaText("user-v1.avsc")), for: UserV1.self))
    try await v1.produce(topic: topic, key: "1", value: UserV1(id: 1, name: "Ada", tags: ["admin"]))
    try await v1.produce(topic: topic, key: "2", value: UserV1(id: 2, name: "Linus"))
    await v1.close()
    // v2 is BACKWARD compatible with v1, so the registry takes it as the subject's version 2.
    let v2 = TypedProducer(producer: try KafkaProducer(configuration: bootstrap), keySerializer: StringSerde(),
                           valueSerializer: try AvroSerializer(client: registry, schema: Schema(try ExampleEnvironment.schemaText("user-v2.avsc")), for: UserV2.self))
    try await v2.produce(topic: topic, key: "3", value: UserV2(id: 3, name: "Grace", email: "grace@example.com", tier: .gold))
    await v2.close()
}

let count = CommandLine.arguments.firstIndex(of: "--count").flatMap { Int(CommandLine.arguments[$0 + 1]) } ?? 3
let reader = try AvroSchema(parsing: try ExampleEnvironment.schemaText("user-v2.avsc"))
let consumer = TypedConsumer(consumer: try await ExampleEnvironment.consumerFromBeginning(topic),
                             keyDeserializer: StringSerde(),
                             valueDeserializer: AvroDeserializer(client: registry, readerSchema: reader, for: UserV2.self))
var seen = 0
for try await record in consumer.records {
    guard let user = record.value else { continue }
    ExampleEnvironment.printJSON(["offset": Int(record.record.offset), "id": Int(user.id), "name": user.name,
                                  "tags": user.tags, "email": user.email ?? NSNull(), "tier": user.tier.rawValue])
    seen += 1
    if seen == count { break }
}
await consumer.close()
