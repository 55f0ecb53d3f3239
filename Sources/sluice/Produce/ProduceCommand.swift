import ArgumentParser

import Foundation
import KafkaClient
import Serde

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `sluice produce TOPIC`: one record per input line, like kafka-console-producer, kcat -P
/// and rpk topic produce, and with a schema like kafka-avro-console-producer.
struct ProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Produce one record per line of stdin or a file.",
        discussion: """
            Each line (up to the delimiter, which is not sent) becomes a record's value; the \
            bytes are sent as they are. With --key-separator the text before its first \
            occurrence is the key. Records are batched per partition (--linger, --batch-size), \
            compressed (--compression) and sent with --acks (all by default, as kcat and \
            librdkafka do); --idempotent adds a producer id and sequence numbers so that \
            retries cannot duplicate records (it needs --acks all).

            SCHEMAS: with --value-schema (and --key-schema) each line is JSON and is encoded \
            with a registered schema in Confluent's wire format (magic byte 0, the 4-byte \
            schema id, then Avro binary or the JSON text), readable by every Confluent \
            deserializer. The schema is
              an id        --value-schema 42            the registered schema with that id
              a subject    --value-schema orders-value  the subject's latest version
              a file       --value-schema order.avsc    registered under <topic>-value (or <topic>-key)
            Avro lines use Avro's JSON encoding (a union value is wrapped: {"string": "x"}); \
            JSON Schema lines are validated. A line that does not fit is reported on stderr as \
            `line N: reason` and the other lines are still produced, unless --fail-fast.

            A progress bar is drawn on stderr when it is a terminal (never in pipes or with \
            --progress never).

            EXIT STATUS: 0 when every line was delivered, 1 when a line was refused or a \
            delivery failed (each reported on stderr), 64 for a usage error.

            Examples:
              sluice produce orders < orders.txt
              sluice produce orders --file orders.txt --key-separator ':' --header source=import
              sluice produce orders --acks 1 --compression zstd --linger 20
              echo '{"id": 1, "amount": 9.5}' | sluice produce orders --value-schema order.avsc
              sluice produce orders --value-schema orders-value --key-schema 7 --key-separator $'\\t'
            """)

    @OptionGroup var client: ClientOptions
    @Argument(help: "The topic to write to.") var topic: String
    @Option(name: [.short, .long], help: ArgumentHelp("Read lines from this file instead of stdin (- is stdin).", valueName: "path")) var file: String?
    @Option(name: [.short, .customLong("key-separator")], help: ArgumentHelp("Split each line into key and value at the first occurrence of this text.", valueName: "text"))
    var keySeparator: String?
    @Option(name: [.customShort("H"), .long], help: ArgumentHelp("A header added to every record, repeatable.", valueName: "key=value")) var header: [String] = []
    @Option(name: [.short, .long], help: "Write every record to this partition (default: the key's murmur2 hash, sticky for null keys).") var partition: Int32?
    @Option(help: "Delivery guarantee: 0 (no answer), 1 (the leader has it) or all (every in-sync replica).") var acks: AcksArgument = .all
    @Option(help: "Batch compression: none, gzip, snappy, lz4 or zstd.") var compression: CompressionArgument = .none
    @Option(help: ArgumentHelp("How long a batch waits for more records, in milliseconds.", valueName: "ms")) var linger: Int = 5
    @Option(help: ArgumentHelp("Largest batch per partition, in bytes.", valueName: "bytes")) var batchSize: Int = 256 * 1024
    @Option(help: ArgumentHelp("The line delimiter, one byte (\\n, \\t, \\0 or a character).", valueName: "char")) var delimiter: String = "\\n"
    @Option(help: ArgumentHelp("Longest line accepted.", valueName: "bytes")) var maxLineBytes: Int = 64 << 20
    @Flag(help: "Send empty values (or empty text after the key separator) as null (a tombstone).") var tombstone = false
    @Option(help: ArgumentHelp("Encode each line's value with this schema: a registry id, a subject (latest version) or a schema file.", valueName: "id|subject|file"))
    var valueSchema: String?
    @Option(help: ArgumentHelp("Encode each line's key with this schema (needs --key-separator).", valueName: "id|subject|file")) var keySchema: String?
    @Option(help: "The type of a schema file: avro or json (default: from the file).") var schemaType: SchemaTypeArgument?
    @Flag(help: "Idempotent delivery (producer id and sequence numbers; needs --acks all).") var idempotent = false
    @Flag(help: "Stop at the first line that fails.") var failFast = false
    @Option(help: "Progress bar on stderr: auto (only on a terminal), always or never.") var progress: ProgressMode = .auto

    func validate() throws {
        if keySchema != nil && keySeparator == nil { throw ValidationError("--key-schema needs --key-separator to find the key in each line") }
        if idempotent && acks.acks != .all { throw ValidationError("--idempotent needs --acks all") }
        if let keySeparator, keySeparator.isEmpty { throw ValidationError("--key-separator must not be empty") }
        _ = try delimiterByte()
        guard linger >= 0, batchSize > 0, maxLineBytes > 0 else { throw ValidationError("--linger, --batch-size and --max-line-bytes must be positive") }
    }

    func delimiterByte() throws -> UInt8 {
        switch delimiter {
        case "\\n": return UInt8(ascii: "\n")
        case "\\t": return UInt8(ascii: "\t")
        case "\\r": return UInt8(ascii: "\r")
        case "\\0": return 0
        default:
            guard delimiter.utf8.count == 1, let byte = delimiter.utf8.first else { throw ValidationError("--delimiter must be one byte, got \"\(delimiter)\"") }
            return byte
        }
    }

    func run() async throws {
        var headers: [RecordHeader] = []
        for entry in header {
            let (key, value) = try parseAssignment(entry, option: "--header")
            headers.append(RecordHeader(key: key, value: Array(value.utf8)))
        }
        let delimiterByte = try delimiterByte()
        try await Console.run {
            let input = try openInput()
            defer { if input.descriptor != STDIN_FILENO { close(input.descriptor) } }
            var configuration = ProducerConfiguration(client: try client.clientConfiguration())
            configuration.acks = acks.acks
            configuration.idempotence = idempotent
            configuration.compression = compression.codec
            configuration.linger = .milliseconds(linger)
            configuration.batchSize = batchSize
            configuration.bufferMemory = max(configuration.bufferMemory, 4 * batchSize)
            let encoders = try await schemaEncoders()
            let producer = try KafkaProducer(configuration: configuration)
            var run = ProduceRun(
                topic: topic, partition: partition, keySeparator: keySeparator.map { Array($0.utf8) }, headers: headers,
                tombstone: tombstone, keyEncoder: encoders.key, valueEncoder: encoders.value, failFast: failFast,
                progress: ProgressBar(label: "producing \(topic)", total: input.size, enabled: progress.enabled))
            var reader = LineReader(descriptor: input.descriptor, delimiter: delimiterByte, maxLineBytes: maxLineBytes)
            do {
                try await run.produce(from: &reader, with: producer)
            } catch {
                await producer.close()
                throw error
            }
            await producer.close()
            try await run.finish()
        }
    }

    private func openInput() throws -> (descriptor: Int32, size: Int64?) {
        guard let file, file != "-" else { return (STDIN_FILENO, nil) }
        let descriptor = open(file, O_RDONLY)
        guard descriptor >= 0 else { throw CommandFailure(message: "cannot open \(file): \(String(cString: strerror(errno)))", exitCode: 2) }
        var info = stat()
        let size: Int64? = fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : nil
        return (descriptor, size)
    }

    private func schemaEncoders() async throws -> (key: LineSchemaEncoder?, value: LineSchemaEncoder?) {
        guard valueSchema != nil || keySchema != nil else { return (nil, nil) }
        let registry = try client.registryClient()
        func encoder(_ argument: String?, field: String) async throws -> LineSchemaEncoder? {
            guard let argument else { return nil }
            let source = try SchemaSource(parsing: argument)
            let registered = try await source.resolve(client: registry, subject: "\(topic)-\(field)", type: schemaType?.type)
            return try LineSchemaEncoder(registered: registered, field: field)
        }
        return (try await encoder(keySchema, field: "key"), try await encoder(valueSchema, field: "value"))
    }
}

enum AcksArgument: String, ExpressibleByArgument, CaseIterable {
    case zero = "0", one = "1", all, minusOne = "-1"

    var acks: Acks {
        switch self {
        case .zero: .none
        case .one: .leader
        case .all, .minusOne: .all
        }
    }
}

enum CompressionArgument: String, ExpressibleByArgument, CaseIterable {
    case none, gzip, snappy, lz4, zstd

    var codec: BatchCompression {
        switch self {
        case .none: .none
        case .gzip: .gzip
        case .snappy: .snappy
        case .lz4: .lz4
        case .zstd: .zstd
        }
    }
}

enum SchemaTypeArgument: String, ExpressibleByArgument, CaseIterable {
    case avro, json

    var type: SchemaType { self == .avro ? .avro : .json }
}

enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    /// nil: decided by whether stderr is a terminal.
    var enabled: Bool? {
        switch self {
        case .auto: nil
        case .always: true
        case .never: false
        }
    }
}
