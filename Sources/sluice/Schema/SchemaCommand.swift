import ArgumentParser
import Foundation
import OrderedJSON
import Serde

/// `sluice schema ...`: the schema registry from the command line, over Serde's
/// SchemaRegistryClient (so the CLI sees exactly what the serializers see). Results go to stdout
/// (`--output json`: one document, stable keys), errors to stderr with exit code 1; a
/// compatibility check that fails exits 1 too, after printing every reason.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Register, read, check and move schemas in the registry (Confluent's REST API).",
        discussion: """
            The registry is --registry, else $SLUICE_REGISTRY, else http://127.0.0.1:8081. A <schema> \
            argument is a file (.avsc, .json) or the schema's text; its type is Avro unless --type \
            json is given or the file ends in .json / the text declares "$schema".
            """,
        subcommands: [SchemaRegisterCommand.self, SchemaGetCommand.self, SchemaListCommand.self, SchemaVersionsCommand.self,
                      SchemaCompatibleCommand.self, SchemaDeleteCommand.self, SchemaConfigCommand.self, SchemaModeCommand.self,
                      SchemaExportCommand.self, SchemaImportCommand.self])
}

/// Where the registry is and how to authenticate; shared by every `sluice schema` command.
struct RegistryOptions: ParsableArguments {
    static let defaultURL = "http://127.0.0.1:8081"

    @Option(name: .customLong("registry"),
            help: ArgumentHelp("Registry URL(s), comma-separated (env SLUICE_REGISTRY; default \(defaultURL)).", valueName: "url"))
    var url: String?

    @Option(name: .customLong("registry-user"),
            help: ArgumentHelp("Basic auth as user:password (env SLUICE_REGISTRY_USER).", valueName: "user:password"))
    var basicAuth: String?

    @Option(name: .customLong("registry-token"), help: ArgumentHelp("Bearer token (env SLUICE_REGISTRY_TOKEN).", valueName: "token"))
    var token: String?

    @Option(help: "text for people, json for scripts (stable keys).")
    var output: SchemaOutputFormat = .text

    @Option(help: ArgumentHelp("Profile file of key=value lines; its registry= is used (env SLUICE_PROFILE; default ~/.config/sluice/profile).",
                               valueName: "file"))
    var profile: String?

    /// The URL from the first of: the flag, SLUICE_REGISTRY, the profile file, the default (as
    /// every client command resolves it).
    func resolvedURL(environment: [String: String]) throws -> String {
        if let url { return url }
        if let fromEnvironment = environment["SLUICE_REGISTRY"], !fromEnvironment.isEmpty { return fromEnvironment }
        let explicit = profile ?? environment["SLUICE_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
        if let path = explicit ?? Profile.defaultPath(environment: environment) {
            if FileManager.default.fileExists(atPath: path) {
                do {
                    if let registry = try Profile.load(path: path).registry { return registry }
                } catch {
                    throw SchemaCommandFailure(message: "\(error)")
                }
            } else if explicit != nil {
                throw SchemaCommandFailure(message: "profile file \(path) does not exist")
            }
        }
        return Self.defaultURL
    }

    func client(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SchemaRegistryClient {
        let url = try resolvedURL(environment: environment)
        var authentication = RegistryAuthentication.none
        if let credentials = basicAuth ?? environment["SLUICE_REGISTRY_USER"], let colon = credentials.firstIndex(of: ":") {
            authentication = .basic(user: String(credentials[..<colon]), password: String(credentials[credentials.index(after: colon)...]))
        } else if let token = token ?? environment["SLUICE_REGISTRY_TOKEN"], !token.isEmpty {
            authentication = .bearer(token: token)
        }
        // A CLI call should fail fast when nothing listens: one retry.
        return SchemaRegistryClient(configuration: .init(urls: [url], authentication: authentication,
                                                         retry: .init(maxRetries: 1, initialBackoff: .milliseconds(200))))
    }
}

enum SchemaOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The schema language of a `<schema>` argument.
enum SchemaTypeOption: String, ExpressibleByArgument, CaseIterable {
    case avro, json
}

/// Registry failures print `error: ...` and exit 1; what a command reports itself, the same.
func runSchemaCommand(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as SchemaRegistryError {
        printError("error: \(error)")
        throw ExitCode.failure
    } catch let error as SchemaCommandFailure {
        printError("error: \(error.message)")
        throw ExitCode.failure
    }
}

struct SchemaCommandFailure: Error {
    var message: String
}

/// A `<schema>` argument (a file or the text) as a registry `Schema`.
func loadRegistrySchema(_ argument: String, type: SchemaTypeOption?, references: [String]) throws -> Schema {
    let trimmed = argument.trimmingCharacters(in: .whitespacesAndNewlines)
    var text = argument
    var fromFile: String?
    if !trimmed.hasPrefix("{") && !trimmed.hasPrefix("[") && !trimmed.hasPrefix("\"") {
        guard let data = FileManager.default.contents(atPath: argument) else {
            throw SchemaCommandFailure(message: "\(argument) is neither a readable file nor a schema's JSON text")
        }
        text = String(decoding: data, as: UTF8.self)
        fromFile = argument
    }
    guard let document = try? JSONParser.parse(text) else {
        throw SchemaCommandFailure(message: "\(fromFile ?? "the schema") is not valid JSON")
    }
    let resolvedType: SchemaType
    switch type {
    case .avro: resolvedType = .avro
    case .json: resolvedType = .json
    case nil:
        let looksJSON = fromFile.map { $0.hasSuffix(".json") && !$0.hasSuffix(".avsc.json") } ?? false || document["$schema"] != nil
        resolvedType = looksJSON ? .json : .avro
    }
    return Schema(text, type: resolvedType, references: try references.map(parseReference))
}

/// `name=subject:version` (version `latest` = -1).
func parseReference(_ text: String) throws -> SchemaReference {
    guard let equals = text.firstIndex(of: "="), let colon = text.lastIndex(of: ":"), colon > equals else {
        throw SchemaCommandFailure(message: "a reference is name=subject:version, not \(text)")
    }
    let versionText = String(text[text.index(after: colon)...])
    guard let version = versionText.lowercased() == "latest" ? -1 : Int(versionText) else {
        throw SchemaCommandFailure(message: "the version of reference \(text) is not a number or latest")
    }
    return SchemaReference(name: String(text[..<equals]), subject: String(text[text.index(after: equals)..<colon]), version: version)
}

/// Prints one JSON document on one line.
func printJSON(_ value: JSONValue) {
    print(value.compactText)
}

func jsonInts(_ values: [Int]) -> JSONValue { .array(values.map { .number(String($0)) }) }
