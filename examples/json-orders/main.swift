// JSON Schema: `Order` values are validated against schemas/order.schema.json when they are
// serialized, so an invalid order never reaches the topic; the consumer validates again and
// decodes into the struct.
//
//   swift run example-json-orders [topic]
import ExampleSupport
import KafkaClient
import Serde
import TypedKafka

let topic = ExampleEnvironment.topic(default: "orders")
let registry = SchemaRegistryClient(url: ExampleEnvironment.registryURL)
let schema = Schema(try ExampleEnvironment.schemaText("order.schema.json"), type: .json)
let orders = TypedProducer(
    producer: try KafkaProducer(configuration: ProducerConfiguration(bootstrap: ExampleEnvironment.bootstrap)),
    keySerializer: StringSerde(),
    valueSerializer: try JSONSchemaSerializer(client: registry, schema: schema, for: Order.self))

let good = Order(id: 1, customer: "Ada", items: [Order.Item(sku: "tea", quantity: 2)])
let written = try await orders.produce(topic: topic, key: "1", value: good)
ExampleEnvironment.printJSON(["produced": good.id, "offset": Int(written.offset)])
do {
    // No items and a quantity below 1: refused before anything is sent, with the reason.
    try await orders.produce(topic: topic, key: "2", value: Order(id: 2, customer: "Linus", items: []))
} catch {
    ExampleEnvironment.printJSON(["refused": 2, "reason": "\(error)"])
}
await orders.close()

let consumer = TypedConsumer(consumer: try await ExampleEnvironment.consumerFromBeginning(topic),
                             keyDeserializer: StringSerde(),
                             valueDeserializer: JSONSchemaDeserializer(client: registry, for: Order.self))
for try await record in consumer.records {
    if let order = record.value {
        ExampleEnvironment.printJSON(["consumed": order.id, "customer": order.customer, "items": order.items.count])
    }
    break
}
await consumer.close()
