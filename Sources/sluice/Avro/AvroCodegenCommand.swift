import ArgumentParser
import Avro
import AvroCodegen
import Foundation

/// `sluice avro codegen`: Swift types for a schema, like avro-tools' `compile` for Java.
struct CodegenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codegen",
        abstract: "Generate Swift types (Codable, with fast generated Avro coding) for a record schema.",
        discussion: "Each record becomes a struct and each enum a String enum; the root record conforms to "
            + "AvroSpecificRecord, which Serde's AvroSerializer and AvroDeserializer use to write and read without "
            + "Codable's containers when the writer schema is the type's own. See docs/avro.md.")
    @Argument(help: "A schema file or the schema's JSON.") var schema: String
    @Option(name: .shortAndLong, help: "Write the source to this file instead of standard output.") var output: String?

    func run() throws {
        let parsed = try loadSchema(schema)
        let source: String
        do {
            source = try AvroSwiftGenerator.generate(parsed, source: (schema.hasPrefix("{") ? "a schema" : schema))
        } catch {
            printError("cannot generate Swift for this schema: \(error)")
            throw ExitCode(2)
        }
        if let output {
            try Data(source.utf8).write(to: URL(fileURLWithPath: output))
        } else {
            print(source, terminator: "")
        }
    }
}
