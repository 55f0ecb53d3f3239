import ArgumentParser
import Foundation
import JSONSchema
import OrderedJSON

/// `sluice jsonschema validate`: documents against one schema, or (`--batch`) many schemas
/// each with its documents, for test drivers.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate JSON documents (one per line, or a whole document) against a schema.",
        discussion: """
            Exit 0 when every document is valid, 1 when one is not (every violation printed with \
            its instance path, schema path and reason), 2 when the schema is invalid.
            With --batch, each input line is {"schema": S, "instances": [...], "draft": D?, \
            "formatAssertion": B?} or {"resources": {URI: schema, ...}} (documents later schemas \
            may $ref); each gets one output line: {"valid": [...], "violations": [counts]} or {"error": reason}.
            """)
    @Option(help: "The schema (file or JSON).") var schema: String?
    @Argument(help: "A file of documents; standard input when absent.") var file: String?
    @Option(name: .customLong("reference"), help: "A referenced schema as name=file (repeatable); $refs name it by name.")
    var references: [String] = []
    @Option(help: "The draft of a schema without $schema: 7 (default, as Confluent) or 2020-12.") var draft: String?
    @Flag(help: "Treat format as an annotation (the default asserts it, as Confluent does).") var noFormatAssertion = false
    @Flag(help: "Read validation requests as JSON lines (see above).") var batch = false

    func run() throws {
        let defaultDraft = try draft.map { name in
            guard let found = JSONSchemaDraft(name: name) else {
                printError("unknown --draft \(name): use 4, 6, 7 or 2020-12")
                throw ExitCode(2)
            }
            return found
        } ?? .draft7
        let input = try readInput()
        if batch {
            BatchValidation(defaultDraft: defaultDraft, formatAssertion: !noFormatAssertion).run(String(decoding: input, as: UTF8.self))
            return
        }
        guard let schema else {
            printError("validate needs --schema (or --batch)")
            throw ExitCode(2)
        }
        let validator = try compileJSONSchema(try loadJSONSchema(schema), documents: try loadJSONSchemaReferences(references),
                                              defaultDraft: defaultDraft, formatAssertion: !noFormatAssertion)
        // A whole document if the input parses as one; else JSON lines (split on bytes: no
        // String indexing over a large input).
        let whole = try? JSONParser.parse(input)
        let documents: [(label: String, bytes: ArraySlice<UInt8>)] = whole != nil
            ? [("document", input[...])]
            : input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
                .filter { line in line.element.contains { ![0x20, 0x09, 0x0D].contains($0) } }
                .map { ("line \($0.offset + 1)", $0.element) }
        var failed = false
        for (label, bytes) in documents {
            let document: JSONValue
            do {
                document = try whole ?? JSONParser.parse(Array(bytes))
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

    private func readInput() throws -> [UInt8] {
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
        return [UInt8](data)
    }
}

/// The `--batch` protocol: one JSON request per line, one JSON answer per line.
struct BatchValidation {
    let defaultDraft: JSONSchemaDraft
    let formatAssertion: Bool

    func run(_ text: String) {
        var resources: [String: JSONValue] = [:]
        var output = ""
        for line in text.split(separator: "\n") where !line.allSatisfy(\.isWhitespace) {
            output += answer(String(line), resources: &resources) + "\n"
            if output.utf8.count > 1 << 16 {
                FileHandle.standardOutput.write(Data(output.utf8))
                output = ""
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    private func answer(_ line: String, resources: inout [String: JSONValue]) -> String {
        func failure(_ reason: String) -> String { "{\"error\":\(JSONValue.quoted(reason))}" }
        let request: JSONValue
        do {
            request = try JSONParser.parse(line)
        } catch {
            return failure("not valid JSON: \(error)")
        }
        if let added = request["resources"]?.objectValue {
            for (uri, document) in added { resources[uri] = document }
            return "{\"ok\":true}"
        }
        guard let schema = request["schema"], let instances = request["instances"]?.arrayValue else {
            return failure("a request needs \"schema\" and \"instances\" (or \"resources\")")
        }
        var draft = defaultDraft
        if let name = request["draft"]?.stringValue {
            guard let named = JSONSchemaDraft(name: name) else { return failure("unknown draft \(name)") }
            draft = named
        }
        let known = resources
        let validator: JSONSchemaValidator
        do {
            validator = try JSONSchemaValidator(schema: schema, defaultDraft: draft,
                                                formatAssertion: request["formatAssertion"]?.boolValue ?? formatAssertion,
                                                resolver: { known[$0] ?? known[$0 + "#"] })
        } catch {
            return failure("invalid schema: \(error)")
        }
        let verdicts = instances.map { validator.isValid($0) }
        let counts = instances.map { validator.violations(of: $0).count }
        return "{\"valid\":[\(verdicts.map { $0 ? "true" : "false" }.joined(separator: ","))],\"violations\":[\(counts.map(String.init).joined(separator: ","))]}"
    }
}
