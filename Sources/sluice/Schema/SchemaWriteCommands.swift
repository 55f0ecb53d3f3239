import ArgumentParser
import OrderedJSON
import Serde

struct SchemaRegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register a schema under a subject (an identical one returns its existing id and version).")
    @OptionGroup var registry: RegistryOptions
    @Argument(help: "The subject, e.g. orders-value.") var subject: String
    @Argument(help: "The schema: a file or its text.") var schema: String
    @Option(help: "avro or json (default: from the file name or $schema, else avro).") var type: SchemaTypeOption?
    @Option(name: .customLong("reference"), help: ArgumentHelp("A reference name=subject:version (repeatable).", valueName: "ref"))
    var references: [String] = []
    @Flag(help: "Ask the registry to normalize the schema.") var normalize = false

    func run() async throws {
        try await runSchemaCommand {
            let registered = try await (try registry.client()).register(subject: subject, schema: try loadRegistrySchema(schema, type: type, references: references),
                                                                  normalize: normalize)
            if registry.output == .json {
                printJSON(.object([("subject", .string(subject)), ("id", .number(String(registered.id))),
                                   ("version", registered.version.map { .number(String($0)) } ?? .null),
                                   ("guid", registered.guid.map(JSONValue.string) ?? .null)]))
            } else {
                print("registered \(subject) version \(registered.version.map(String.init) ?? "?") with id \(registered.id)")
            }
        }
    }
}

struct SchemaCompatibleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compatible",
        abstract: "Check a schema against a subject: exit 0 compatible, 1 not (every incompatibility printed with its path).")
    @OptionGroup var registry: RegistryOptions
    @Argument(help: "The subject.") var subject: String
    @Argument(help: "The candidate schema: a file or its text.") var schema: String
    @Option(help: "Check against this version (a number or latest); default: what a registration is checked against.")
    var version: String?
    @Option(help: "avro or json (default: from the file name or $schema, else avro).") var type: SchemaTypeOption?
    @Option(name: .customLong("reference"), help: ArgumentHelp("A reference name=subject:version (repeatable).", valueName: "ref"))
    var references: [String] = []

    func run() async throws {
        var compatible = true
        try await runSchemaCommand {
            let result = try await (try registry.client()).testCompatibility(
                subject: subject, schema: try loadRegistrySchema(schema, type: type, references: references), version: version, verbose: true)
            compatible = result.isCompatible
            let problems = result.messages.compactMap(Incompatibility.init(message:))
            if registry.output == .json {
                printJSON(.object([
                    ("subject", .string(subject)), ("compatible", .bool(result.isCompatible)),
                    ("incompatibilities", .array(problems.map { problem in
                        .object([("type", .string(problem.type)), ("path", .string(problem.path ?? "")),
                                 ("description", .string(problem.description))])
                    })),
                    ("messages", .array(result.messages.map(JSONValue.string))),
                ]))
            } else if result.isCompatible {
                print("compatible with \(subject)\(version.map { " version \($0)" } ?? "")")
            } else {
                var lines = ["incompatible with \(subject)\(version.map { " version \($0)" } ?? ""):"]
                lines += problems.map { "  \($0.type) at \($0.path ?? "/"): \($0.description)" }
                // The rest of the registry's messages (old version, level) as they come.
                lines += result.messages.filter { Incompatibility(message: $0) == nil }.map { "  \($0)" }
                print(lines.joined(separator: "\n"))
            }
        }
        if !compatible { throw ExitCode.failure }
    }
}

/// One reason from a verbose compatibility answer, which Confluent writes as
/// `{errorType:'TYPE_MISMATCH', description:'... at path '/fields/0/type' ...', additionalInfo:'...'}`.
struct Incompatibility: Equatable {
    var type: String
    var description: String
    var path: String?

    init?(message: String) {
        guard let type = Self.value(of: "errorType", in: message) else { return nil }
        self.type = type
        let description = Self.value(of: "description", in: message, until: "', additionalInfo:") ?? message
        self.description = description
        if let start = description.range(of: "path '") {
            let rest = description[start.upperBound...]
            path = rest.firstIndex(of: "'").map { String(rest[..<$0]) }.map { $0.hasPrefix("#") ? String($0.dropFirst()) : $0 }
        }
    }

    /// The text between `key:'` and the terminator (descriptions hold quotes of their own).
    private static func value(of key: String, in message: String, until terminator: String = "'") -> String? {
        guard let start = message.range(of: "\(key):'") else { return nil }
        let rest = message[start.upperBound...]
        guard let end = rest.range(of: terminator) else { return nil }
        return String(rest[..<end.lowerBound])
    }
}

struct SchemaDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a subject or one version (soft; --permanent after a soft delete removes it for good).")
    @OptionGroup var registry: RegistryOptions
    @Argument(help: "The subject.") var subject: String
    @Option(help: "Only this version (a number or latest).") var version: String?
    @Flag(help: "Hard delete (the subject or version must be soft-deleted first).") var permanent = false

    func run() async throws {
        try await runSchemaCommand {
            let client = try registry.client()
            let deleted: [Int]
            if let version {
                deleted = [try await client.deleteVersion(subject: subject, version: version, permanent: permanent)]
            } else {
                deleted = try await client.deleteSubject(subject, permanent: permanent)
            }
            if registry.output == .json {
                printJSON(.object([("subject", .string(subject)), ("versions", jsonInts(deleted)), ("permanent", .bool(permanent))]))
            } else {
                print("deleted \(subject) version\(deleted.count == 1 ? "" : "s") \(deleted.map(String.init).joined(separator: ", "))\(permanent ? " permanently" : "")")
            }
        }
    }
}
