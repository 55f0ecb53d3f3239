#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KafkaClient

func producerConfiguration(_ options: Options, bootstrap: String) -> ProducerConfiguration {
    var configuration = ProducerConfiguration(bootstrap: bootstrap)
    switch options["acks"] ?? "all" {
    case "0": configuration.acks = .none
    case "1": configuration.acks = .leader
    default: configuration.acks = .all
    }
    configuration.idempotence = (options["idempotence"] ?? (configuration.acks == .all ? "true" : "false")) == "true"
    if let name = options["compression"] {
        guard let codec = BatchCompression.allCases.first(where: { $0.description == name }) else { fail("unknown compression '\(name)'") }
        configuration.compression = codec
    }
    configuration.linger = .milliseconds(options.int("linger-ms", 5))
    configuration.batchSize = options.int("batch-size", 16384)
    configuration.maxRequestSize = max(configuration.batchSize * 4, 1 << 20)
    configuration.bufferMemory = max(options.int("buffer-memory", 32 << 20), configuration.batchSize * 2)
    return configuration
}

func runProduce(_ options: Options, bootstrap: String) async throws {
    guard let topic = options["topic"] else { fail("produce needs --topic") }
    let producer = try KafkaProducer(configuration: producerConfiguration(options, bootstrap: bootstrap))
    let partition = options["partition"].flatMap { Int32($0) }
    if options["input"] == nil, let count = options["count"].flatMap({ Int($0) }) {
        // The benchmark: fixed-size random-looking values, as rdperf sends.
        let size = options.int("size", 1024)
        var generator = SystemRandomNumberGenerator()
        let value = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let start = ContinuousClock.now
        var last: DeliveryReceipt?
        for _ in 0..<count {
            last = try await producer.send(ProducerRecord(topic: topic, partition: partition, value: value))
        }
        await producer.flush()
        _ = try await last?.metadata()
        let elapsed = seconds(since: start)
        print("RESULT produced=\(count) bytes=\(count * size) seconds=\(elapsed) msgs_per_s=\(Double(count) / elapsed) mb_per_s=\(Double(count * size) / elapsed / 1e6)")
        await producer.close()
        return
    }
    var receipts: [DeliveryReceipt] = []
    while let line = readLine(strippingNewline: true) {
        guard !line.isEmpty else { continue }
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count >= 2 else { fail("input line '\(line)' needs key<TAB>value[<TAB>headers]") }
        var headers: [RecordHeader] = []
        if fields.count >= 3, !fields[2].isEmpty {
            for pair in fields[2].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                headers.append(RecordHeader(key: String(parts[0]), value: parts.count > 1 ? unhex(parts[1]) : nil))
            }
        }
        let timestamp = fields.count >= 4 ? Int64(fields[3]) : nil
        receipts.append(try await producer.send(ProducerRecord(topic: topic, partition: partition, key: unhex(fields[0]), value: unhex(fields[1]), headers: headers, timestamp: timestamp)))
    }
    await producer.flush()
    for receipt in receipts {
        let metadata = try await receipt.metadata()
        print("\(metadata.topicPartition.partition)\t\(metadata.offset)")
    }
    await producer.close()
}

func runConsume(_ options: Options, bootstrap: String) async throws {
    guard let topic = options["topic"] else { fail("consume needs --topic") }
    var configuration = ConsumerConfiguration(bootstrap: bootstrap, groupID: options["group"])
    configuration.autoOffsetReset = (options["from"] ?? "earliest") == "latest" ? .latest : .earliest
    configuration.groupInstanceID = options["instance-id"]
    configuration.heartbeatInterval = .milliseconds(options.int("heartbeat-ms", 500))
    configuration.sessionTimeout = .milliseconds(options.int("session-ms", 10_000))
    configuration.autoCommitInterval = .milliseconds(options.int("commit-ms", 1000))
    configuration.maxPartitionFetchBytes = Int32(options.int("partition-fetch-bytes", 1 << 20))
    configuration.maxPollRecords = options.int("max-poll", 500)
    if options["isolation"] == "read_committed" { configuration.isolationLevel = .readCommitted }
    if let strategy = options["strategy"] {
        guard let chosen = AssignmentStrategy(rawValue: strategy) else { fail("unknown strategy '\(strategy)'") }
        configuration.assignmentStrategy = chosen
    }
    let consumer = try KafkaConsumer(configuration: configuration)
    let quiet = options["quiet"] != nil
    if configuration.groupID != nil && options["assign"] == nil {
        try await consumer.subscribe([topic], listener: RebalanceListener(
            onAssigned: { partitions in
                printError("assigned \(partitions.map(\.description).joined(separator: " "))")
            },
            onRevoked: { partitions in
                printError("revoked \(partitions.map(\.description).joined(separator: " "))")
            }))
    } else {
        var count: Int32 = 0
        for _ in 0..<300 {
            if let partitions = try? await KafkaAdmin(configuration: configuration.client).describeTopics([topic]).first?.partitions.count {
                count = Int32(partitions)
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await consumer.assign((0..<count).map { TopicPartition(topic, $0) })
    }
    let wanted = options.int("count", Int.max)
    let idle = Duration.milliseconds(options.int("idle-ms", 10_000))
    var received = 0
    var bytes = 0
    var start: ContinuousClock.Instant?
    var lastRecord = ContinuousClock.now
    while received < wanted {
        let records = try await consumer.poll(timeout: .milliseconds(200))
        if records.isEmpty {
            if ContinuousClock.now - lastRecord > idle { break }
            continue
        }
        if start == nil { start = .now }
        lastRecord = .now
        for record in records {
            received += 1
            bytes += record.value?.count ?? 0
            if !quiet {
                print("\(record.partition)\t\(record.offset)\t\(record.timestamp)\t\(hex(record.key))\t\(hex(record.value))\t\(headersText(record.headers))")
            }
        }
    }
    let elapsed = start.map { seconds(since: $0) } ?? 0
    if quiet {
        print("RESULT consumed=\(received) bytes=\(bytes) seconds=\(elapsed) msgs_per_s=\(Double(received) / max(elapsed, 1e-9)) mb_per_s=\(Double(bytes) / max(elapsed, 1e-9) / 1e6)")
    }
    fflush(nil)
    await consumer.close()
}
