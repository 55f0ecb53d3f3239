// A typed Swift producer: `UserV1` values go out as Avro in Confluent's wire format. The
// serializer registers schemas/user-v1.avsc under `<topic>-value` on the first record and
// caches the id; every record after that is encoded straight from the struct.
//
//   swift run example-typed-producer [topic]        (against `make serve`)
import ExampleSupport
import KafkaClient
import Serde
import TypedKafka

let topic = ExampleEnvironment.topic(default: "users")
let registry = SchemaRegistryClient(url: ExampleEnvironment.registryURL)
let schema = Schema(try ExampleEnvironment.schemaText("user-v1.avsc"))
let users = TypedProducer(
    producer: try KafkaProducer(configuration: ProducerConfiguration(bootstrap: ExampleEnvironment.bootstrap)),
    keySerializer: StringSerde(),
    valueSerializer: try AvroSerializer(client: registry, schema: schema, for: UserV1.self))

let people = [UserV1(id: 1, name: "Ada", tags: ["admin"]), UserV1(id: 2, name: "Linus"), UserV1(id: 3, name: "Grace", tags: ["navy", "cobol"])]
for user in people {
    let written = try await users.produce(topic: topic, key: String(user.id), value: user)
    ExampleEnvironment.printJSON(["produced": user.name, "partition": Int(written.topicPartition.partition), "offset": Int(written.offset)])
}
await users.close()
