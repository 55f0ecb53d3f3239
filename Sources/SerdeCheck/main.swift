// sluice-serde-check: drives Sluice's serializers from the interop tests (Tests/interop/test_serde.py),
// so that their bytes can be checked by confluent-kafka's deserializers and the other way round.
//
//   sluice-serde-check serialize   --registry URL --topic T --schema FILE [--format avro|json] [--typed]
//                                  [--key] [--strategy NAME] [--no-auto-register] [--use-latest]
//       reads one JSON document per line (Avro's JSON encoding for generic Avro records; with
//       --typed the fields of schemas/user-v2.avsc's User) and prints the framed bytes in hex.
//   sluice-serde-check deserialize --registry URL --topic T [--reader-schema FILE] [--format avro|json] [--typed]
//                                  [--key] [--use-latest] [--partition N]
//       reads lines "HEX" or "HEX HEADERHEX" (the schema-id header of the header form) and prints
//       each value as JSON (Avro's JSON encoding, or the typed User's JSONEncoder form). The
//       offset of line i is i. The first error goes to stderr and the exit code is 1.
import Avro
import Foundation
import OrderedJSON
import Serde

/// The typed record: schemas/user-v2.avsc as a Swift type.
struct User: Codable, Equatable {
    enum Tier: String, Codable { case BASIC, GOLD }
    var id: Int64
    var name: String
    var tags: [String]
    var email: String?
    var tier: Tier
}

struct Arguments {
    var command = ""
    var options: [String: String] = [:]
    var flags: Set<String> = []

    init(_ argv: [String]) throws {
        var rest = argv.dropFirst()
        guard let command = rest.popFirst() else { throw Failure("usage: sluice-serde-check serialize|deserialize --registry URL --topic T ...") }
        self.command = command
        let valued: Set<String> = ["--registry", "--topic", "--schema", "--reader-schema", "--format", "--strategy", "--partition"]
        while let argument = rest.popFirst() {
            if valued.contains(argument) {
                guard let value = rest.popFirst() else { throw Failure("\(argument) needs a value") }
                options[argument] = value
            } else if argument.hasPrefix("--") {
                flags.insert(argument)
            } else {
                throw Failure("unexpected argument \(argument)")
            }
        }
    }

    func required(_ name: String) throws -> String {
        guard let value = options[name] else { throw Failure("\(name) is required") }
        return value
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func readFile(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else { throw Failure("cannot read \(path)") }
    return String(decoding: data, as: UTF8.self)
}

func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

func unhex(_ text: Substring) throws -> [UInt8] {
    guard text.count % 2 == 0 else { throw Failure("odd hex length") }
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        guard let byte = UInt8(text[index..<next], radix: 16) else { throw Failure("bad hex \(text[index..<next])") }
        bytes.append(byte)
        index = next
    }
    return bytes
}

func inputLines() -> [String] {
    var lines: [String] = []
    while let line = readLine() {
        if !line.trimmingCharacters(in: .whitespaces).isEmpty { lines.append(line) }
    }
    return lines
}

func run(_ arguments: Arguments) async throws {
    let client = SchemaRegistryClient(url: try arguments.required("--registry"))
    let topic = try arguments.required("--topic")
    let field: MessageField = arguments.flags.contains("--key") ? .key : .value
    let json = arguments.options["--format"] == "json"
    let typed = arguments.flags.contains("--typed")
    switch arguments.command {
    case "serialize":
        let text = try readFile(try arguments.required("--schema"))
        var options = SerializerOptions(autoRegisterSchemas: !arguments.flags.contains("--no-auto-register"),
                                        useLatestVersion: arguments.flags.contains("--use-latest"))
        if let name = arguments.options["--strategy"] {
            guard let strategy = SubjectNameStrategy(name: name) else { throw Failure("unknown strategy \(name)") }
            options.subjectNameStrategy = strategy
        }
        let context = SerializationContext(topic: topic, field: field)
        if json {
            let serializer = try JSONSchemaSerializer<JSONValue>(client: client, schema: Schema(text, type: .json), field: field, options: options)
            for line in inputLines() { print(hex(try await serializer.serialize(try JSONParser.parse(line), context: context))) }
        } else if typed {
            let serializer = try AvroSerializer<User>(client: client, schema: Schema(text), field: field, options: options)
            for line in inputLines() {
                print(hex(try await serializer.serialize(try JSONDecoder().decode(User.self, from: Data(line.utf8)), context: context)))
            }
        } else {
            let schema = try AvroSchema(parsing: text)
            let serializer = try AvroSerializer<AvroValue>(client: client, schema: Schema(text), field: field, options: options)
            for line in inputLines() {
                print(hex(try await serializer.serialize(try AvroJSON.decode(try JSONParser.parse(line), schema: schema), context: context)))
            }
        }
    case "deserialize":
        let reader = try arguments.options["--reader-schema"].map { try AvroSchema(parsing: try readFile($0)) }
        let partition = arguments.options["--partition"].flatMap { Int32($0) } ?? 0
        let options = DeserializerOptions(useLatestVersion: arguments.flags.contains("--use-latest"))
        let generic = AvroDeserializer<AvroValue>(client: client, readerSchema: reader, field: field, options: options)
        let typedDeserializer = AvroDeserializer<User>(client: client, readerSchema: reader, field: field, options: options)
        let jsonDeserializer = JSONSchemaDeserializer<JSONValue>(client: client, field: field)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (offset, line) in inputLines().enumerated() {
            let parts = line.split(separator: " ")
            let headers = try parts.dropFirst().first.map { [(key: field.schemaIDHeader, value: Optional(try unhex($0)))] } ?? []
            let context = SerializationContext(topic: topic, field: field, headers: headers, partition: partition, offset: Int64(offset))
            let bytes = try unhex(parts.first ?? "")
            if json {
                print(try await jsonDeserializer.deserialize(bytes, context: context).compactText)
            } else if typed {
                print(String(decoding: try encoder.encode(try await typedDeserializer.deserialize(bytes, context: context)), as: UTF8.self))
            } else {
                guard let reader else { throw Failure("--reader-schema is needed to print generic Avro values") }
                print(try AvroJSON.encode(try await generic.deserialize(bytes, context: context), schema: reader).compactText)
            }
        }
    default:
        throw Failure("unknown command \(arguments.command): serialize or deserialize")
    }
}

do {
    try await run(try Arguments(CommandLine.arguments))
} catch {
    FileHandle.standardError.write(Data("sluice-serde-check: \(error)\n".utf8))
    exit(1)
}
