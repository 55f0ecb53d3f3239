import ArgumentParser
import Avro
import AvroFile
import Foundation
import OrderedJSON

/// `sluice avro tojson|fromjson|getschema|getmeta`: Object Container File tools, like avro-tools.
/// Exit codes: 0 success, 1 a file or datum could not be read or written, 2 an invalid schema or usage.

/// Opens a container file, exiting 1 with the reason when it cannot be read.
func openContainer(_ path: String) throws -> AvroContainerReader {
    do {
        return try AvroFiles.open(path)
    } catch {
        printError("\(error)")
        throw ExitCode(1)
    }
}

struct ToJSONCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tojson",
        abstract: "Print the datums of an Avro container file in Avro's JSON encoding, one per line.")
    @Argument(help: "The .avro file.") var file: String
    @Option(help: "A reader schema to resolve the data into (file or JSON).") var reader: String?

    func run() throws {
        let container = try openContainer(file)
        let readerSchema = try reader.map { try loadSchema($0, role: "reader schema") }
        let target = readerSchema ?? container.schema
        var output = ""
        do {
            try container.forEachValue(reader: readerSchema) { value in
                output.removeAll(keepingCapacity: true)
                try AvroJSON.encode(value, schema: target).write(to: &output)
                print(output)
            }
        } catch {
            printError("\(file): \(error)")
            throw ExitCode(1)
        }
    }
}

struct FromJSONCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fromjson",
        abstract: "Write datums in Avro's JSON encoding (one per line; - reads stdin) to an Avro container file.")
    @Option(help: "The schema of the datums (file or JSON).") var schema: String
    @Option(help: "The block codec: \(AvroFileCodec.allCases.map(\.rawValue).joined(separator: ", ")).") var codec = "null"
    @Option(help: "Uncompressed bytes per block.") var blockSize = 64 * 1024
    @Argument(help: "The JSON input, or - for stdin.") var input: String
    @Argument(help: "The .avro file to write.") var output: String

    func run() throws {
        let parsed = try loadSchema(schema)
        let fileCodec: AvroFileCodec
        do {
            fileCodec = try AvroFileCodec(name: codec)
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
        let text: String
        if input == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else if let data = FileManager.default.contents(atPath: input) {
            text = String(decoding: data, as: UTF8.self)
        } else {
            printError("cannot read \(input)")
            throw ExitCode(1)
        }
        do {
            let writer = try AvroFileWriter(path: output, schema: parsed, codec: fileCodec, blockSize: blockSize)
            var line = 0
            for row in text.split(separator: "\n", omittingEmptySubsequences: false) {
                line += 1
                guard !row.allSatisfy(\.isWhitespace) else { continue }
                do {
                    try writer.append(try AvroJSON.decode(try JSONParser.parse(String(row)), schema: parsed))
                } catch {
                    throw AvroFileError("\(input) line \(line): \(error)")
                }
            }
            try writer.close()
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
    }
}

struct GetSchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "getschema", abstract: "Print the schema stored in an Avro container file.")
    @Argument(help: "The .avro file.") var file: String

    func run() throws {
        print(try openContainer(file).schemaText)
    }
}

struct GetMetaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "getmeta",
        abstract: "Print the metadata of an Avro container file, one key<TAB>value per line.")
    @Argument(help: "The .avro file.") var file: String
    @Option(help: "Print only this key's value.") var key: String?

    func run() throws {
        let container = try openContainer(file)
        if let key {
            guard let value = container.metadataText(key) else {
                printError("\(file) has no metadata key \(key)")
                throw ExitCode(1)
            }
            print(value)
            return
        }
        for entry in container.metadata {
            print("\(entry.key)\t\(String(decoding: entry.value, as: UTF8.self))")
        }
    }
}
