import ArgumentParser
import Avro
import Foundation
import OrderedJSON

/// `sluice avro ...`: schema and datum tools, like avro-tools. A `<schema>` argument is a path to
/// a file or the schema's JSON text itself. Exit codes: 0 success, 1 a datum or a verdict
/// failed, 2 an invalid schema or usage.
struct AvroCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "avro",
        abstract: "Avro schema, datum and container file tools (canonical form, fingerprints, compatibility, JSON <-> binary, .avro files, Swift codegen).",
        subcommands: [CanonicalCommand.self, FingerprintCommand.self, CompatibleCommand.self,
                      JSONToFragmentCommand.self, FragmentToJSONCommand.self,
                      ToJSONCommand.self, FromJSONCommand.self, GetSchemaCommand.self, GetMetaCommand.self,
                      CodegenCommand.self])
}

/// Loads a `<schema>` argument: a file path, else the text itself. Exits 2 with the parser's
/// reason when the schema is invalid.
func loadSchema(_ argument: String, role: String = "schema") throws -> AvroSchema {
    let text: String
    if !argument.trimmingCharacters(in: .whitespaces).hasPrefix("{") && !argument.hasPrefix("[") && !argument.hasPrefix("\""),
       let data = FileManager.default.contents(atPath: argument) {
        text = String(decoding: data, as: UTF8.self)
    } else {
        text = argument
    }
    do {
        return try AvroSchema(parsing: text)
    } catch {
        printError("invalid \(role): \(error)")
        throw ExitCode(2)
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

func hexString(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

struct CanonicalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "canonical", abstract: "Print the Parsing Canonical Form on one line.")
    @Argument(help: "A schema file or the schema's JSON.") var schema: String

    func run() throws {
        print(try loadSchema(schema).canonicalForm)
    }
}

struct FingerprintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fingerprint", abstract: "Print a fingerprint of the canonical form in lowercase hex.")
    @Argument(help: "A schema file or the schema's JSON.") var schema: String
    @Option(help: "rabin (CRC-64-AVRO, 8 bytes little-endian as in single-object encoding), md5 or sha256.") var algorithm = "rabin"

    func run() throws {
        let canonical = try loadSchema(schema).canonicalForm
        switch algorithm {
        case "rabin": print(hexString(AvroFingerprint.rabinBytes(canonical)))
        case "md5": print(hexString(AvroFingerprint.md5(canonical)))
        case "sha256": print(hexString(AvroFingerprint.sha256(canonical)))
        default:
            printError("unknown algorithm \(algorithm): use rabin, md5 or sha256")
            throw ExitCode(2)
        }
    }
}

struct CompatibleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compatible",
        abstract: "Can the reader schema read data written with the writer schema? Exit 0 yes, 1 no (with every reason), 2 invalid schema.")
    @Option(help: "The reader schema (file or JSON).") var reader: String
    @Option(help: "The writer schema (file or JSON).") var writer: String
    @Flag(help: "Print the verdict as JSON.") var json = false

    func run() throws {
        let problems = AvroCompatibilityChecker.incompatibilities(reader: try loadSchema(reader, role: "reader schema"),
                                                                  writer: try loadSchema(writer, role: "writer schema"))
        if json {
            let items = problems.map {
                JSONValue.object([("kind", .string($0.kind.rawValue)), ("path", .string($0.path.isEmpty ? "/" : $0.path)),
                                  ("detail", .string($0.detail))])
            }
            print(JSONValue.object([("compatible", .bool(problems.isEmpty)), ("incompatibilities", .array(items))]).compactText)
        } else if problems.isEmpty {
            print("compatible")
        } else {
            for problem in problems { print(problem.description) }
        }
        if !problems.isEmpty { throw ExitCode(1) }
    }
}

struct JSONToFragmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jsontofrag",
        abstract: "Read datums in Avro's JSON encoding, one per line on stdin, and write their binary encoding.")
    @Option(help: "The schema (file or JSON).") var schema: String
    @Flag(help: "Write one lowercase hex line per datum instead of raw bytes.") var hex = false

    func run() throws {
        let parsed = try loadSchema(schema)
        var encoder = AvroBinaryEncoder(schema: parsed)
        var line = 0
        while let text = readLine(strippingNewline: true) {
            line += 1
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            do {
                let value = try AvroJSON.decode(try JSONParser.parse(text), schema: parsed)
                encoder.reset()
                try encoder.encode(value)
            } catch {
                printError("line \(line): \(error)")
                throw ExitCode(1)
            }
            if self.hex {
                print(hexString(encoder.bytes))
            } else {
                FileHandle.standardOutput.write(Data(encoder.bytes))
            }
        }
    }
}

struct FragmentToJSONCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fragtojson",
        abstract: "Decode binary datums (one lowercase hex line each with --hex, else one datum on stdin) to Avro's JSON encoding, resolving into a reader schema when given.")
    @Option(help: "The schema the data was written with.") var writer: String
    @Option(help: "The schema to read the data as.") var reader: String?
    @Flag(help: "Read one hex line per datum.") var hex = false

    func run() throws {
        let writerSchema = try loadSchema(writer, role: "writer schema")
        let readerSchema = try reader.map { try loadSchema($0, role: "reader schema") }
        let datumReader: AvroDatumReader
        do {
            datumReader = try AvroDatumReader(writer: writerSchema, reader: readerSchema)
        } catch {
            printError("the reader cannot read the writer's data: \(error)")
            throw ExitCode(1)
        }
        var inputs: [[UInt8]] = []
        if self.hex {
            while let line = readLine(strippingNewline: true) {
                let text = line.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { continue }
                guard let bytes = bytes(fromHex: text) else {
                    printError("line \(inputs.count + 1): not hex")
                    throw ExitCode(1)
                }
                inputs.append(bytes)
            }
        } else {
            inputs.append(Array(FileHandle.standardInput.readDataToEndOfFile()))
        }
        for (index, input) in inputs.enumerated() {
            do {
                let value = try datumReader.read(input)
                print(try AvroJSON.encode(value, schema: datumReader.reader).compactText)
            } catch {
                printError("datum \(index + 1): \(error)")
                throw ExitCode(1)
            }
        }
    }

    private func bytes(fromHex text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<(index + 2)], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
