import JSONSchema
import Avro
import RegistryCore

/// The compatibility levels on top of the per-type checkers: which versions are checked and in
/// which direction (the compatibility notes, §1), with each problem worded as Confluent words it.
enum RegistryCompatibility {
    /// The problems of registering `new` after `previous` (live versions, ascending) at `level`;
    /// empty when compatible. Transitive levels check every version, newest first, and stop at
    /// the first incompatible one, as Confluent does.
    static func problems(new: ParsedSchema, previous: [(version: Int, schema: ParsedSchema)],
                         level: CompatibilityLevel) -> [String] {
        let checked: [(version: Int, schema: ParsedSchema)]
        switch level {
        case .none: return []
        case .backward, .forward, .full: checked = previous.last.map { [$0] } ?? []
        case .backwardTransitive, .forwardTransitive, .fullTransitive: checked = previous.reversed()
        }
        for old in checked {
            var found: [String] = []
            if [.backward, .backwardTransitive, .full, .fullTransitive].contains(level) {
                found += problems(reader: new, writer: old.schema, readerIsNew: true)
            }
            if [.forward, .forwardTransitive, .full, .fullTransitive].contains(level) {
                found += problems(reader: old.schema, writer: new, readerIsNew: false)
            }
            if !found.isEmpty {
                return found + [
                    "{oldSchemaVersion: \(old.version)}",
                    "{oldSchema: '\(old.schema.text)'}",
                    "{validateFields: 'false', compatibility: '\(level.rawValue)'}",
                ]
            }
        }
        return []
    }

    /// Why `reader` cannot read data written with `writer`, one message per problem.
    static func problems(reader: ParsedSchema, writer: ParsedSchema, readerIsNew: Bool) -> [String] {
        guard reader.type == writer.type else {
            return ["{errorType:'TYPE_MISMATCH', description:'Incompatible because of different schema type', additionalInfo:'\(reader.type.rawValue) and \(writer.type.rawValue)'}"]
        }
        let (readerLabel, writerLabel) = readerIsNew ? ("new", "old") : ("old", "new")
        switch reader.type {
        case .avro:
            guard let readerSchema = reader.avro, let writerSchema = writer.avro else { return [] }
            return AvroCompatibilityChecker.incompatibilities(reader: readerSchema, writer: writerSchema).map {
                message(for: $0, reader: readerLabel, writer: writerLabel)
            }
        case .json:
            guard let readerSchema = reader.json, let writerSchema = writer.json else { return [] }
            return JSONSchemaCompatibility.problems(reader: readerSchema, writer: writerSchema,
                                                    readerDocuments: reader.jsonDocuments, writerDocuments: writer.jsonDocuments).map {
                "{errorType:'\($0.kind)', description:'\($0.description) at path '\($0.path.isEmpty ? "#/" : "#" + $0.path)' (reader: the \(readerLabel) schema)', additionalInfo:'\($0.kind)'}"
            }
        }
    }

    /// Confluent's wording of a Java incompatibility (the compatibility notes, §3.1).
    static func message(for problem: AvroIncompatibility, reader: String, writer: String) -> String {
        let path = problem.path.isEmpty ? "/" : problem.path
        let description: String
        switch problem.kind {
        case .readerFieldMissingDefaultValue:
            description = "The field '\(problem.detail)' at path '\(path)' in the \(reader) schema has no default value and is missing in the \(writer) schema"
        case .typeMismatch:
            description = "The type (path '\(path)') of a field in the \(reader) schema does not match with the \(writer) schema"
        case .missingUnionBranch:
            description = "The \(reader) schema is missing a type inside a union field at path '\(path)' in the \(writer) schema"
        case .nameMismatch:
            description = "The name of the schema has changed (path '\(path)')"
        case .fixedSizeMismatch:
            description = "The size of FIXED type field at path '\(path)' in the \(reader) schema does not match with the \(writer) schema"
        case .missingEnumSymbols:
            description = "The \(reader) schema is missing enum symbols '\(problem.detail)' at path '\(path)' in the \(writer) schema"
        }
        return "{errorType:'\(problem.kind.rawValue)', description:'\(description)', additionalInfo:'\(problem.detail)'}"
    }
}
