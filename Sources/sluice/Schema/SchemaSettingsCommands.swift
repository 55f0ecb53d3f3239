import ArgumentParser
import OrderedJSON
import Serde

extension CompatibilityLevel: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
}

extension RegistryMode: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
}

struct SchemaConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show or set the compatibility level, globally or of a subject.",
        discussion: "Levels: none, backward, backward_transitive, forward, forward_transitive, full, full_transitive.")
    @OptionGroup var registry: RegistryOptions
    @Argument(help: "The subject (omit for the global config).") var subject: String?
    @Option(help: "Set this level.") var set: CompatibilityLevel?
    @Flag(help: "Remove the subject's own level (or reset the global one).") var delete = false

    func validate() throws {
        if set != nil && delete { throw ValidationError("--set and --delete exclude each other") }
    }

    func run() async throws {
        try await runSchemaCommand {
            let client = try registry.client()
            if let set {
                try await client.setCompatibility(set, subject: subject)
            } else if delete {
                try await client.deleteConfig(subject: subject)
            }
            let level = try await client.compatibilityLevel(subject: subject)
            // Whether the subject has a level of its own (40408: it follows the global one).
            var own = subject == nil
            if let subject {
                do {
                    _ = try await client.config(subject: subject, defaultToGlobal: false)
                    own = true
                } catch let error as SchemaRegistryError where error.errorCode == 40408 || error.errorCode == 40401 {
                    own = false
                }
            }
            if registry.output == .json {
                printJSON(.object([("subject", subject.map(JSONValue.string) ?? .null), ("compatibility", .string(level.rawValue)),
                                   ("inherited", .bool(!own))]))
            } else {
                print("\(subject ?? "global"): \(level.rawValue)\(own ? "" : " (global)")")
            }
        }
    }
}

struct SchemaModeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mode",
        abstract: "Show or set the registry mode (READWRITE, READONLY, IMPORT), globally or of a subject.")
    @OptionGroup var registry: RegistryOptions
    @Argument(help: "The subject (omit for the global mode).") var subject: String?
    @Option(help: "Set this mode.") var set: RegistryMode?
    @Flag(help: "With --set IMPORT: allow it while subjects exist.") var force = false
    @Flag(help: "Remove the subject's own mode.") var delete = false

    func validate() throws {
        if set != nil && delete { throw ValidationError("--set and --delete exclude each other") }
    }

    func run() async throws {
        try await runSchemaCommand {
            let client = try registry.client()
            if let set {
                try await client.setMode(set, subject: subject, force: force)
            } else if delete {
                try await client.deleteMode(subject: subject)
            }
            let mode = try await client.mode(subject: subject)
            if registry.output == .json {
                printJSON(.object([("subject", subject.map(JSONValue.string) ?? .null), ("mode", .string(mode.rawValue))]))
            } else {
                print("\(subject ?? "global"): \(mode.rawValue)")
            }
        }
    }
}
