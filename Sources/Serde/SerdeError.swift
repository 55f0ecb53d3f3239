/// Why a key or value could not be serialized or deserialized. Every case carries what a person
/// needs to find the record and the schema: topic, partition, offset, schema id, field path.
public enum SerdeError: Error, Sendable, CustomStringConvertible {
    /// The bytes are not in Confluent's wire format.
    case wireFormat(WireFormatError, location: String)
    /// The strategy needs a record name (or JSON Schema title) the schema does not have.
    case noRecordName(strategy: SubjectNameStrategy, topic: String)
    /// The registry refused or could not answer a call the serializer needed.
    case registry(SchemaRegistryError, subject: String?)
    /// `autoRegisterSchemas` is off and the schema is not registered under the subject.
    case schemaNotRegistered(subject: String)
    /// The schema the registry returned is not of the serializer's type or does not parse.
    case invalidSchema(SchemaIdentifier?, subject: String?, reason: String)
    /// The value does not fit the writer schema (Avro) or fails JSON Schema validation.
    case invalidValue(subject: String, schemaID: Int?, reason: String)
    /// Data written with `schema` cannot be read with the reader schema.
    case unresolvable(location: String, schema: SchemaIdentifier, field: String?, reason: String)
    /// The payload does not decode with its writer schema (corrupt or truncated data).
    case undecodable(location: String, schema: SchemaIdentifier, reason: String)

    public var description: String {
        switch self {
        case .wireFormat(let error, let location):
            return "\(location): \(error)"
        case .noRecordName(let strategy, let topic):
            return "\(strategy.rawValue) needs a named schema (an Avro record, enum or fixed, or a JSON Schema with a title) for topic \(topic)"
        case .registry(let error, let subject):
            return (subject.map { "subject \($0): " } ?? "") + error.description
        case .schemaNotRegistered(let subject):
            return "the schema is not registered under subject \(subject), and autoRegisterSchemas is off"
        case .invalidSchema(let schema, let subject, let reason):
            let which = [schema?.description, subject.map { "subject \($0)" }].compactMap { $0 }.joined(separator: ", ")
            return "invalid schema\(which.isEmpty ? "" : " (\(which))"): \(reason)"
        case .invalidValue(let subject, let schemaID, let reason):
            return "the value does not fit the schema of subject \(subject)\(schemaID.map { " (schema id \($0))" } ?? ""): \(reason)"
        case .unresolvable(let location, let schema, let field, let reason):
            return "\(location): data written with \(schema) cannot be read with the reader schema"
                + (field.map { " at field \($0)" } ?? "") + ": \(reason)"
        case .undecodable(let location, let schema, let reason):
            return "\(location): the payload does not decode with its writer schema (\(schema)): \(reason)"
        }
    }
}
