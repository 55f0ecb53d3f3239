import ArgumentParser
import OrderedJSON
import Serde

struct SchemaGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Show a subject's version (latest by default), or a schema by --id or --guid.")
    @OptionGroup var registry: RegistryOptions
    @Argument(help: "The subject (omit with --id or --guid).") var subject: String?
    @Option(help: "A version number or latest.") var version = "latest"
    @Option(help: "A schema id.") var id: Int?
    @Option(help: "A schema GUID.") var guid: String?
    @Flag(help: "Include soft-deleted versions.") var deleted = false
    @Flag(name: .customLong("schema-only"), help: "Print only the schema text.") var schemaOnly = false

    func validate() throws {
        let ways = [subject != nil, id != nil, guid != nil].filter { $0 }.count
        guard ways == 1 else { throw ValidationError("give exactly one of SUBJECT, --id or --guid") }
    }

    func run() async throws {
        try await runSchemaCommand {
            let client = try registry.client()
            let found: RegisteredSchema
            if let id {
                found = try await client.schema(id: id)
            } else if let guid {
                found = try await client.schema(guid: guid)
            } else if let subject {
                if version.lowercased() == "latest" && !deleted {
                    found = try await client.latestVersion(subject: subject)
                } else {
                    guard let number = version.lowercased() == "latest" ? -1 : Int(version) else {
                        throw SchemaCommandFailure(message: "--version is a number or latest, not \(version)")
                    }
                    found = try await client.version(subject: subject, version: number, deleted: deleted)
                }
            } else {
                return
            }
            if schemaOnly {
                print(found.schema.text)
            } else if registry.output == .json {
                printJSON(found.json)
            } else {
                var lines: [String] = []
                if let subject = found.subject { lines.append("subject:  \(subject)") }
                if let version = found.version { lines.append("version:  \(version)") }
                if found.id >= 0 { lines.append("id:       \(found.id)") }
                if let guid = found.guid { lines.append("guid:     \(guid)") }
                lines.append("type:     \(found.schema.type.rawValue)")
                for reference in found.schema.references {
                    lines.append("uses:     \(reference.name) = \(reference.subject) version \(reference.version)")
                }
                if found.deleted { lines.append("deleted:  true") }
                lines.append("schema:   \(found.schema.text)")
                print(lines.joined(separator: "\n"))
            }
        }
    }
}

struct SchemaListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List subjects.")
    @OptionGroup var registry: RegistryOptions
    @Option(help: "Only subjects starting with this.") var prefix: String?
    @Flag(help: "Include soft-deleted subjects.") var deleted = false

    func run() async throws {
        try await runSchemaCommand {
            let subjects = try await (try registry.client()).subjects(prefix: prefix, deleted: deleted)
            if registry.output == .json {
                printJSON(.array(subjects.map(JSONValue.string)))
            } else if !subjects.isEmpty {
                print(subjects.joined(separator: "\n"))
            }
        }
    }
}

struct SchemaVersionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "versions", abstract: "List a subject's versions with their ids.")
    @OptionGroup var registry: RegistryOptions
    @Argument(help: "The subject.") var subject: String
    @Flag(help: "Include soft-deleted versions.") var deleted = false

    func run() async throws {
        try await runSchemaCommand {
            let client = try registry.client()
            let numbers = try await client.versions(subject: subject, deleted: deleted)
            var entries: [RegisteredSchema] = []
            for number in numbers { entries.append(try await client.version(subject: subject, version: number, deleted: deleted)) }
            if registry.output == .json {
                printJSON(.array(entries.map { entry in
                    .object([("version", .number(String(entry.version ?? 0))), ("id", .number(String(entry.id))),
                             ("deleted", .bool(deleted && entry.deleted))])
                }))
            } else {
                print((["VERSION  ID"] + entries.map { "\(String($0.version ?? 0).padding(toLength: 7, withPad: " ", startingAt: 0))  \($0.id)" })
                    .joined(separator: "\n"))
            }
        }
    }
}
