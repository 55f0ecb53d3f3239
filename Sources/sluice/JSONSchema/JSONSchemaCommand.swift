import ArgumentParser
import Foundation
import JSONSchema
import OrderedJSON

/// `sluice jsonschema ...`: validate documents and check compatibility. Exit codes: 0 valid or
/// compatible, 1 not (each reason printed), 2 an invalid schema or unreadable input.
struct JSONSchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jsonschema",
        abstract: "JSON Schema tools: validate documents, check compatibility.",
        subcommands: [ValidateCommand.self, JSONSchemaCompatibleCommand.self])
}

/// A `<schema>` argument: a file path, else the JSON text itself.
func loadJSONSchema(_ argument: String, role: String = "schema") throws -> JSONValue {
    let trimmed = argument.trimmingCharacters(in: .whitespaces)
    let text: String
    if !trimmed.hasPrefix("{") && trimmed != "true" && trimmed != "false", let data = FileManager.default.contents(atPath: argument) {
        text = String(decoding: data, as: UTF8.self)
    } else {
        text = argument
    }
    do {
        let schema = try JSONParser.parse(text)
        switch schema {
        case .object, .bool: return schema
        default:
            printError("invalid \(role): a JSON Schema is an object or a boolean, not \(schema.kindName)")
            throw ExitCode(2)
        }
    } catch let error as JSONParseError {
        printError("invalid \(role): not valid JSON: \(error)")
        throw ExitCode(2)
    }
}

/// `--reference name=file` options: the documents `$ref`s may name, by name.
func loadJSONSchemaReferences(_ options: [String]) throws -> [String: JSONValue] {
    var documents: [String: JSONValue] = [:]
    for option in options {
        guard let equals = option.firstIndex(of: "="), equals != option.startIndex else {
            printError("invalid --reference \(option): expected name=file")
            throw ExitCode(2)
        }
        let name = String(option[..<equals])
        documents[name] = try loadJSONSchema(String(option[option.index(after: equals)...]), role: "reference \(name)")
    }
    return documents
}

/// Compiles a schema, or prints why it is invalid and exits with 2.
func compileJSONSchema(_ schema: JSONValue, role: String = "schema", documents: [String: JSONValue],
                       defaultDraft: JSONSchemaDraft = .draft7, formatAssertion: Bool = true) throws -> JSONSchemaValidator {
    do {
        return try JSONSchemaValidator(schema: schema, defaultDraft: defaultDraft, formatAssertion: formatAssertion, documents: documents)
    } catch {
        printError("invalid \(role): \(error)")
        throw ExitCode(2)
    }
}

struct JSONSchemaCompatibleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compatible",
        abstract: "Does the reader schema accept every document the writer schema accepts? Exit 0 yes, 1 no (with every reason), 2 invalid schema.")
    @Option(help: "The reader schema (file or JSON).") var reader: String
    @Option(help: "The writer schema (file or JSON).") var writer: String
    @Option(name: .customLong("reference"), help: "A referenced schema as name=file (repeatable); $refs name it by name.")
    var references: [String] = []

    func run() throws {
        let documents = try loadJSONSchemaReferences(references)
        let readerSchema = try loadJSONSchema(reader, role: "reader schema")
        let writerSchema = try loadJSONSchema(writer, role: "writer schema")
        _ = try compileJSONSchema(readerSchema, role: "reader schema", documents: documents)
        _ = try compileJSONSchema(writerSchema, role: "writer schema", documents: documents)
        let problems = JSONSchemaCompatibility.problems(reader: readerSchema, writer: writerSchema,
                                                        readerDocuments: documents, writerDocuments: documents)
        if problems.isEmpty {
            print("compatible")
            return
        }
        for problem in problems { print("\(problem.kind) at \(problem.path.isEmpty ? "/" : problem.path): \(problem.description)") }
        throw ExitCode(1)
    }
}
