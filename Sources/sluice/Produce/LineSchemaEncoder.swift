import Avro
import JSONSchema
import OrderedJSON
import Serde

/// Turns one input line of JSON into a key or value in Confluent's wire format (magic 0, the
/// schema id, then Avro binary or the JSON text), with the schema the command line named.
///
/// Avro lines are in Avro's JSON encoding (unions wrapped: `{"string": "x"}`), as
/// kafka-avro-console-producer reads them. JSON Schema lines are validated first, and a line
/// that does not validate is refused with every violation and its path. The CLI encodes with
/// the registry client and Serde's wire format directly (not Serde's serializers), because a
/// schema named by id or by any subject does not follow a subject-name strategy.
struct LineSchemaEncoder {
    enum Format {
        case avro(AvroSchema)
        case json(JSONSchemaValidator)
    }

    let schemaID: Int
    let format: Format
    /// `key` or `value`, for messages.
    let field: String

    struct LineError: Error, CustomStringConvertible {
        var description: String
    }

    init(registered: RegisteredSchema, field: String) throws {
        self.schemaID = registered.id
        self.field = field
        switch registered.schema.type {
        case .avro:
            guard registered.schema.references.isEmpty else {
                throw CommandFailure(message: "\(field) schema id \(registered.id) has references, which the CLI does not resolve yet", exitCode: 2)
            }
            do {
                format = .avro(try AvroSchema(parsing: registered.schema.text))
            } catch {
                throw CommandFailure(message: "\(field) schema id \(registered.id) is not a valid Avro schema: \(error)", exitCode: 2)
            }
        case .json:
            do {
                format = .json(try JSONSchemaValidator(schema: try JSONParser.parse(registered.schema.text)))
            } catch {
                throw CommandFailure(message: "\(field) schema id \(registered.id) is not a valid JSON Schema: \(error)", exitCode: 2)
            }
        default:
            throw CommandFailure(message: "\(field) schema id \(registered.id) is \(registered.schema.type.rawValue); the CLI encodes AVRO and JSON", exitCode: 2)
        }
    }

    /// The framed bytes of one line.
    /// - Throws: ``LineError`` saying why the line does not fit (JSON syntax, the Avro path and
    ///   the expected type, or the JSON Schema violations).
    func encode(_ line: ArraySlice<UInt8>) throws(LineError) -> [UInt8] {
        let document: JSONValue
        do {
            document = try JSONParser.parse(Array(line))
        } catch {
            throw LineError(description: "\(field) is not JSON: \(error)")
        }
        let payload: [UInt8]
        switch format {
        case .avro(let schema):
            do {
                payload = try AvroBinaryEncoder.encode(try AvroJSON.decode(document, schema: schema), schema: schema)
            } catch {
                throw LineError(description: "\(field) does not fit Avro schema id \(schemaID): \(error)")
            }
        case .json(let validator):
            let violations = validator.violations(of: document)
            guard violations.isEmpty else {
                throw LineError(description: "\(field) does not validate against JSON Schema id \(schemaID): "
                                + violations.map(\.description).joined(separator: "; "))
            }
            payload = Array(document.compactText.utf8)
        }
        do {
            return try ConfluentWireFormat.frame(schemaID: schemaID, payload: payload)
        } catch {
            throw LineError(description: "\(error)")
        }
    }
}
