import Foundation
import Serde

/// A schema named on the command line (`--value-schema`, `--key-schema`, `--reader-schema`):
/// a registry id (all digits), a schema file (a path that exists, or inline JSON text), or a
/// subject whose latest version is used.
enum SchemaSource: Equatable {
    case id(Int)
    case file(path: String?, text: String)
    case subject(String)

    init(parsing argument: String) throws {
        let trimmed = argument.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty, trimmed.allSatisfy(\.isASCII), trimmed.allSatisfy(\.isNumber), let id = Int(trimmed) {
            self = .id(id)
        } else if trimmed.hasPrefix("{") || trimmed.hasPrefix("\"") || trimmed.hasPrefix("[") {
            self = .file(path: nil, text: trimmed)
        } else if FileManager.default.fileExists(atPath: argument) {
            guard let data = FileManager.default.contents(atPath: argument) else {
                throw CommandFailure(message: "cannot read schema file \(argument)", exitCode: 2)
            }
            self = .file(path: argument, text: String(decoding: data, as: UTF8.self))
        } else {
            self = .subject(argument)
        }
    }

    /// The schema type of a file: `--schema-type`, else the file extension (`.avsc`, `.json`),
    /// else its content (a JSON Schema has `$schema`, `properties` or a JSON type keyword; an
    /// Avro schema a `record`/`enum`/`fixed` type, a union or a primitive name).
    static func guessType(path: String?, text: String) -> SchemaType {
        if let path {
            if path.hasSuffix(".avsc") { return .avro }
            if path.hasSuffix(".schema.json") || path.hasSuffix(".jsonschema") { return .json }
        }
        if text.contains("\"$schema\"") || text.contains("\"properties\"") || text.contains("\"$ref\"") { return .json }
        if text.contains("\"record\"") || text.contains("\"enum\"") || text.contains("\"fixed\"") { return .avro }
        for keyword in ["\"object\"", "\"integer\"", "\"number\""] where text.contains(keyword) { return .json }
        return .avro
    }

    /// The registered schema this names. A file is registered under `subject` (as the Confluent
    /// console producers do with `value.schema.file` and `auto.register.schemas`).
    func resolve(client: SchemaRegistryClient, subject: String, type: SchemaType?) async throws -> RegisteredSchema {
        switch self {
        case .id(let id):
            return try await client.schema(id: id)
        case .subject(let name):
            return try await client.latestVersion(subject: name)
        case .file(let path, let text):
            let schema = Schema(text, type: type ?? Self.guessType(path: path, text: text))
            return try await client.register(subject: subject, schema: schema)
        }
    }

    var label: String {
        switch self {
        case .id(let id): "schema id \(id)"
        case .subject(let subject): "subject \(subject)"
        case .file(let path, _): path.map { "schema file \($0)" } ?? "inline schema"
        }
    }
}

extension ClientOptions {
    /// A registry client for the resolved `--registry` URL.
    func registryClient() throws -> SchemaRegistryClient {
        SchemaRegistryClient(configuration: .init(urls: [try resolve().registry]))
    }
}
