import ArgumentParser
import Avro
import Foundation
import KafkaClient
import OrderedJSON
import Serde

/// `sluice consume TOPIC`: kafka-console-consumer, kcat -C and rpk topic consume.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Print the records of topics, as text templates or JSON lines.",
        discussion: """
            Without --group every partition (or those given with --partition) is read \
            directly, from --from (default beginning). With --group the consumer joins the \
            group, reads the partitions the group assigns it and commits its position; \
            --from beginning|end then applies only to partitions without a committed offset, \
            while an offset or a time moves every assigned partition there.

            POSITIONS (--from): beginning, end, an offset (42), -N (the last N records of each \
            partition), @MS (ms since the epoch) or an ISO-8601 time (2026-12-03T10:15:00Z).

            FORMAT (--format, like kcat -f): %t topic, %p partition, %o offset, %k key, \
            %K key length, %s value, %S value length, %T timestamp (ms), %h headers \
            (k1=v1,k2=v2), %% a percent sign; \\n \\r \\t \\0 \\\\ escapes. A null key or value \
            prints as nothing, a length as -1. Default: '%s\\n'.

            JSON (--output json): one object per record, always with these keys in this order:
              {"topic":"orders","partition":0,"offset":42,"timestamp":1764757000000,
               "timestamp_type":"CreateTime","headers":[{"key":"k","value":"v"}],"key":"...","value":"..."}
            Bytes are UTF-8 text, or base64 with --json-bytes base64; a null is null. With \
            --decode, "key_schema_id" / "value_schema_id" follow "key" / "value".

            SCHEMAS (--decode value, --decode key,value): records in Confluent's wire format \
            (the 5-byte prefix, or the __value_schema_id / __key_schema_id header) are decoded \
            with their schema from --registry: Avro is printed in Avro's JSON encoding, JSON \
            Schema documents are validated and printed. --reader-schema (an id, a subject or a \
            file) reads Avro values into an evolved schema (fields added with defaults, removed \
            fields dropped). A record that does not decode is reported on stderr with its \
            partition and offset, and the exit status is 1.

            Stops after --count records, at the end of every partition with --exit-at-end, or \
            on Ctrl-C (the group is left and the position committed).

            Examples:
              sluice consume orders --from beginning --exit-at-end
              sluice consume orders --format '%p:%o %k=%s\\n' --count 10
              sluice consume orders --group billing --from end
              sluice consume orders --partition 0 --from 1000 --output json
              sluice consume orders --from 2026-12-03T09:00:00Z --decode value --reader-schema order-v2.avsc
            """)

    @OptionGroup var client: ClientOptions
    @Argument(help: "Topics to read.") var topics: [String]
    @Option(name: [.short, .long], help: "Consumer group to join (and commit positions to).") var group: String?
    @Option(name: [.customShort("o"), .long], parsing: .unconditional, help: ArgumentHelp("Start position: beginning, end, OFFSET, -N, @MS or an ISO-8601 time.", valueName: "position"))
    var from: String?
    @Option(name: [.short, .long], help: "Read only this partition, repeatable.") var partition: [Int32] = []
    @Option(name: [.short, .long], help: "Stop after this many records.") var count: Int?
    @Flag(name: [.customShort("e"), .long], help: "Stop when every partition has been read to its end (as of the start).") var exitAtEnd = false
    @Option(name: [.short, .long], help: ArgumentHelp("A template for each record (see FORMAT).", valueName: "template")) var format: String?
    @Option(help: "text (the --format template) or json (one object per record).") var output: OutputFormat = .text
    @Option(help: "How --output json shows bytes: utf8 or base64.") var jsonBytes: JSONBytesArgument = .utf8
    @Option(help: ArgumentHelp("Decode fields in Confluent's wire format with the registry: value, key or key,value.", valueName: "fields"))
    var decode: String?
    @Option(help: ArgumentHelp("Read Avro values into this schema: an id, a subject (latest version) or a file.", valueName: "id|subject|file"))
    var readerSchema: String?

    func validate() throws {
        if let format { _ = try Self.template(format) }
        let fields = try decodedFields()
        if readerSchema != nil && !fields.value { throw ValidationError("--reader-schema needs --decode value") }
        if let count, count <= 0 { throw ValidationError("--count must be positive") }
        if let from {
            do { _ = try StartPosition(parsing: from) } catch let error as CommandFailure { throw ValidationError(error.message) }
        }
    }

    static func template(_ text: String) throws -> RecordTemplate {
        do {
            return try RecordTemplate(parsing: text)
        } catch {
            throw ValidationError("--format: \(error.description)")
        }
    }

    func decodedFields() throws -> (key: Bool, value: Bool) {
        guard let decode else { return (false, false) }
        var result = (key: false, value: false)
        for part in decode.split(separator: ",") {
            switch part.trimmingCharacters(in: .whitespaces) {
            case "key": result.key = true
            case "value": result.value = true
            default: throw ValidationError("--decode takes value, key or key,value; got \"\(part)\"")
            }
        }
        return result
    }

    func run() async throws {
        let template = try Self.template(format ?? "%s\\n")
        let fields = try decodedFields()
        let start = try from.map(StartPosition.init(parsing:))
        try await Console.run {
            var decoders: (key: RecordSchemaDecoder?, value: RecordSchemaDecoder?) = (nil, nil)
            if fields.key || fields.value {
                let registry = try client.registryClient()
                var reader: AvroSchema?
                if let readerSchema { reader = try await Self.readerSchema(readerSchema, registry: registry) }
                if fields.key { decoders.key = RecordSchemaDecoder(client: registry, field: .key, readerSchema: nil) }
                if fields.value { decoders.value = RecordSchemaDecoder(client: registry, field: .value, readerSchema: reader) }
            }
            let session = try ConsumeSession(options: self, start: start)
            let printer = RecordPrinter(template: template, output: output, bytes: jsonBytes.encoding, decoders: decoders)
            try await session.run(printer: printer)
        }
    }

    /// `--reader-schema`: an id or a subject from the registry, or a file (never registered).
    static func readerSchema(_ argument: String, registry: SchemaRegistryClient) async throws -> AvroSchema {
        let text: String
        switch try SchemaSource(parsing: argument) {
        case .id(let id): text = try await registry.schema(id: id).schema.text
        case .subject(let subject): text = try await registry.latestVersion(subject: subject).schema.text
        case .file(_, let fileText): text = fileText
        }
        do {
            return try AvroSchema(parsing: text)
        } catch {
            throw CommandFailure(message: "--reader-schema \(argument) is not a valid Avro schema: \(error)", exitCode: 2)
        }
    }
}

enum JSONBytesArgument: String, ExpressibleByArgument, CaseIterable {
    case utf8, base64

    var encoding: RenderedRecord.BytesEncoding { self == .utf8 ? .utf8 : .base64 }
}

/// Prints records as the command line asked; counts the ones that did not decode.
final class RecordPrinter {
    let template: RecordTemplate
    let output: OutputFormat
    let bytes: RenderedRecord.BytesEncoding
    let decoders: (key: RecordSchemaDecoder?, value: RecordSchemaDecoder?)
    let out = OutputBuffer()
    private(set) var failures = 0

    init(template: RecordTemplate, output: OutputFormat, bytes: RenderedRecord.BytesEncoding,
         decoders: (key: RecordSchemaDecoder?, value: RecordSchemaDecoder?)) {
        self.template = template
        self.output = output
        self.bytes = bytes
        self.decoders = decoders
    }

    func print(_ record: ConsumerRecord) async {
        var rendered = RenderedRecord(record)
        do {
            if let decoder = decoders.key { rendered.decodedKey = try await decoder.decode(record.key, record: rendered) }
            if let decoder = decoders.value { rendered.decodedValue = try await decoder.decode(record.value, record: rendered) }
        } catch {
            failures += 1
            out.flush()
            Console.diagnostic("\(record.topic)-\(record.partition) offset \(record.offset): \(error)")
            return
        }
        switch output {
        case .text: template.render(rendered, to: out)
        case .json: JSONOut.emit(rendered.json(bytes: bytes, decodingKey: decoders.key != nil, decodingValue: decoders.value != nil), to: out)
        }
    }
}
