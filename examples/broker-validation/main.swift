// Broker-side validation: a topic with `confluent.value.schema.validation=true` accepts only
// records whose value names a schema id registered under the topic's subject. A typed
// producer's record gets in; raw bytes are refused with INVALID_RECORD and the broker's reason.
//
//   swift run example-broker-validation [topic]
import ExampleSupport
import KafkaClient
import Serde
import TypedKafka

let topic = ExampleEnvironment.topic(default: "validated-users")
let client = KafkaClientConfiguration(bootstrap: ExampleEnvironment.bootstrap)
let admin = try KafkaAdmin(configuration: client)
do {
    try await admin.createTopics([NewTopic(name: topic, partitions: 1, configs: ["confluent.value.schema.validation": "true"])])
} catch KafkaClientError.broker(.topicAlreadyExists, _) {
    // A second run uses the topic the first one made.
}
await admin.close()

let registry = SchemaRegistryClient(url: ExampleEnvironment.registryURL)
let users = TypedProducer(
    producer: try KafkaProducer(configuration: ProducerConfiguration(client: client)),
    keySerializer: StringSerde(),
    valueSerializer: try AvroSerializer(client: registry, schema: Schema(try ExampleEnvironment.schemaText("user-v1.avsc")), for: UserV1.self))
let accepted = try await users.produce(topic: topic, key: "1", value: UserV1(id: 1, name: "Ada"))
ExampleEnvironment.printJSON(["accepted": "typed Avro record", "offset": Int(accepted.offset)])
await users.close()

var configuration = ProducerConfiguration(client: client)
configuration.idempotence = false
let raw = try KafkaProducer(configuration: configuration)
do {
    _ = try await raw.produce(ProducerRecord(topic: topic, value: Array("not in Confluent's wire format".utf8)))
    ExampleEnvironment.printJSON(["accepted": "raw bytes (validation is off?)"])
} catch {
    ExampleEnvironment.printJSON(["refused": "raw bytes", "reason": "\(error)"])
}
await raw.close()
