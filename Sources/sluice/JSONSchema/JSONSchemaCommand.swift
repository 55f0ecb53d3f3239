import ArgumentParser
import Foundation
import JSONSchema
import OrderedJSON

/// `sluice jsonschema ...`: validate documents and check compatibility. Exit codes: 0 valid or
/// compatible, 1 not (each reason printed), 2 an invalid schema or input.
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

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate JSON documents (one per line, or a whole document) against a schema.")
    @Option(help: "The schema (file or JSON).") var schema: String
    @Argument(help: "A file of documents; standard input when absent.") var file: String?

    func run() throws {
        let validator = JSONSchemaValidator(schema: try loadJSONSchema(schema))
        let data: Data
        if let file {
            guard let contents = FileManager.default.contents(atPath: file) else {
                printError("cannot read \(file)")
                throw ExitCode(2)
            }
            data = contents
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        let text = String(decoding: data, as: UTF8.self)
        // A whole document if the input parses as one; else JSON lines.
        let documents: [(label: String, text: String)] = (try? JSONParser.parse(text)) != nil
            ? [("document", text)]
            : text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                .filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
                .map { ("line \($0.offset + 1)", String($0.element)) }
        var failed = false
        for (label, documentText) in documents {
            let document: JSONValue
            do {
                document = try JSONParser.parse(documentText)
            } catch {
                print("\(label): not valid JSON: \(error)")
                failed = true
                continue
            }
            let violations = validator.violations(of: document)
            if violations.isEmpty {
                print("\(label): valid")
            } else {
                failed = true
                for violation in violations { print("\(label): \(violation)") }
            }
        }
        if failed { throw ExitCode(1) }
    }
}

struct JSONSchemaCompatibleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compatible",
        abstract: "Does the reader schema accept every document the writer schema accepts? Exit 0 yes, 1 no (with every reason), 2 invalid schema.")
    @Option(help: "The reader schema (file or JSON).") var reader: String
    @Option(help: "The writer schema (file or JSON).") var writer: String

    func run() throws {
        let problems = JSONSchemaCompatibility.problems(reader: try loadJSONSchema(reader, role: "reader schema"),
                                                        writer: try loadJSONSchema(writer, role: "writer schema"))
        if problems.isEmpty {
            print("compatible")
            return
        }
        for problem in problems { print("\(problem.kind) at \(problem.path.isEmpty ? "/" : problem.path): \(problem.description)") }
        throw ExitCode(1)
    }
}
