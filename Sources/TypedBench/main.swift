// Typed Avro produce + consume against raw bytes of the same size, on the same node, in one
// run (issue 9's figure). Usage: sluice-typed-bench BOOTSTRAP REGISTRY_URL [RECORDS]
// Prints records/s for each pass and the ratio typed / raw.
import Avro
import Foundation
import KafkaClient
import Serde
import TypedKafka

struct Event: Codable, Sendable {
    var id: Int64
    var name: String
    var tags: [String]
    var score: Double
}

let schemaText = #"{"type":"record","name":"Event","namespace":"bench","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"},{"name":"tags","type":{"type":"array","items":"string"}},{"name":"score","type":"double"}]}"#
let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: sluice-typed-bench BOOTSTRAP REGISTRY_URL [RECORDS]\n".utf8))
    exit(2)
}
let bootstrap = arguments[1]
let registry = SchemaRegistryClient(url: arguments[2])
let count = arguments.count > 3 ? Int(arguments[3]) ?? 200_000 : 200_000
let run = UUID().uuidString.prefix(8)

func event(_ i: Int) -> Event {
    Event(id: Int64(i), name: "user-\(i % 1000)", tags: ["a", "bb", "ccc"], score: Double(i) / 7)
}

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func configuration() -> ProducerConfiguration {
    var configuration = ProducerConfiguration(bootstrap: bootstrap)
    configuration.linger = .milliseconds(5)
    configuration.batchSize = 256 << 10
    return configuration
}

func consumer(_ topic: String) async throws -> KafkaConsumer {
    let consumer = try KafkaConsumer(configuration: ConsumerConfiguration(bootstrap: bootstrap))
    try await consumer.assign([TopicPartition(topic, 0)])
    try await consumer.seekToBeginning([TopicPartition(topic, 0)])
    return consumer
}

// The passes run off the main actor: an `await` per record from main-actor code would hop
// threads twice per record and measure the hops instead of the client and the serializers.
nonisolated func measure() async throws -> (rawProduce: Double, rawConsume: Double, typedProduce: Double, typedConsume: Double, size: Int) {
    // Raw: the same Avro bytes, framed, encoded once up front.
    let encoder = try AvroEncoder(schema: try AvroSchema(parsing: schemaText))
    let sample = try ConfluentWireFormat.frame(schemaID: 1, payload: try encoder.encode(event(1)))
    let rawTopic = "bench-raw-\(run)", typedTopic = "bench-typed-\(run)"

    let rawProducer = try KafkaProducer(configuration: configuration())
    let rawProduce = try await seconds {
        for _ in 0..<count { _ = try await rawProducer.send(ProducerRecord(topic: rawTopic, partition: 0, value: sample)) }
        await rawProducer.flush()
    }
    await rawProducer.close()
    let rawConsumer = try await consumer(rawTopic)
    let rawConsume = try await seconds {
        var seen = 0, bytes = 0
        for try await record in rawConsumer.records {
            bytes &+= record.value?.count ?? 0
            seen += 1
            if seen == count { break }
        }
        precondition(bytes > 0)
    }
    await rawConsumer.close()

    let typedProducer = TypedProducer(producer: try KafkaProducer(configuration: configuration()), keySerializer: BytesSerde(),
                                      valueSerializer: try AvroSerializer(client: registry, schema: Schema(schemaText), for: Event.self))
    let typedProduce = try await seconds {
        for i in 0..<count { _ = try await typedProducer.send(topic: typedTopic, key: nil, value: event(i), partition: 0) }
        await typedProducer.flush()
    }
    await typedProducer.close()
    let typedConsumer = TypedConsumer(consumer: try await consumer(typedTopic), keyDeserializer: BytesSerde(),
                                      valueDeserializer: AvroDeserializer(client: registry, readerSchema: try AvroSchema(parsing: schemaText), for: Event.self))
    let typedConsume = try await seconds {
        var seen = 0, sum: Int64 = 0
        for try await record in typedConsumer.records {
            sum &+= record.value?.id ?? 0
            seen += 1
            if seen == count { break }
        }
        precondition(sum > 0)
    }
    await typedConsumer.close()

    return (rawProduce, rawConsume, typedProduce, typedConsume, sample.count)
}

let (rawProduce, rawConsume, typedProduce, typedConsume, size) = try await measure()
func rate(_ time: Double) -> Double { Double(count) / time }
print("records: \(count) of \(size) bytes (framed Avro)")
print(String(format: "produce  raw %10.0f rec/s   typed %10.0f rec/s   ratio %.2f", rate(rawProduce), rate(typedProduce), rawProduce / typedProduce))
print(String(format: "consume  raw %10.0f rec/s   typed %10.0f rec/s   ratio %.2f", rate(rawConsume), rate(typedConsume), rawConsume / typedConsume))
let rawBoth = rawProduce + rawConsume, typedBoth = typedProduce + typedConsume
print(String(format: "produce+consume ratio typed/raw %.2f   (target >= 0.70)", rawBoth / typedBoth))
