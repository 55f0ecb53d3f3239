import Avro
import BrokerCore
import JSONSchema
import OrderedJSON
import RegistryCore
import SchemaRegistry
import Synchronization

/// The broker's view of the schema registry: the node's own materialization of `_schemas`,
/// fed with the same records as the registry (every record the registry appends, and the
/// replay when it loads), so it agrees with the registry's view and answers synchronously on
/// the produce path (a `Mutex`, no actor hop). A registration is in this view before the
/// registry answers it, so a producer never meets an id it was just given as unknown.
///
/// What is derived from the state is cached: the subjects of an id and the GUID index until the
/// next record changes the state; compiled payload checks per id for as long as the id names
/// the same schema text (ids are never reused for another schema, unless one is hard-deleted
/// and imported again, which drops its entry).
final class RegistrySchemaCatalog: SchemaCatalog {
    private struct View {
        var state = SchemaRegistryState()
        var ready = false
        var schemas: [Int32: CatalogSchema] = [:]
        var guids: [SchemaGUID: Int32]?
        var compiled: [Int32: CompiledSchema] = [:]
    }

    private let view = Mutex(View())

    init() {}

    // MARK: Feeding

    /// Replaces the view with `_schemas` as read from the start (the registry's load); the
    /// catalog is ready from then on. Records the registry would skip are skipped the same way.
    func replay(_ records: [(key: [UInt8], value: [UInt8]?)]) {
        var state = SchemaRegistryState()
        for record in records { _ = try? state.apply(key: record.key, value: record.value) }
        view.withLock { $0 = View(state: state, ready: true) }
    }

    /// Applies one record the registry has appended.
    func apply(key: [UInt8], value: [UInt8]?) {
        view.withLock { view in
            guard (try? view.state.apply(key: key, value: value)) == .applied else { return }
            view.schemas = [:]
            view.guids = nil
            view.compiled = view.compiled.filter { id, compiled in view.state.schema(id: Int(id))?.schema == compiled.text }
        }
    }

    // MARK: SchemaCatalog

    var isReady: Bool { view.withLock { $0.ready } }

    func schema(id: Int32) -> CatalogSchema? {
        view.withLock { view in
            if let cached = view.schemas[id] { return cached }
            let versions = view.state.subjectVersions(usingID: Int(id), includeDeleted: true)
            guard let first = versions.first else { return nil }
            let schema = CatalogSchema(subjects: Set(versions.map(\.subject)), recordName: Self.compiled(id, in: &view)?.recordName,
                                       schemaType: first.schemaType)
            view.schemas[id] = schema
            return schema
        }
    }

    func schemaID(guid: SchemaGUID) -> Int32? {
        view.withLock { view in
            if view.guids == nil {
                var index: [SchemaGUID: Int32] = [:]
                for subject in view.state.subjectNames(includeDeleted: true) {
                    for record in view.state.versions(of: subject, includeDeleted: true) {
                        if let guid = SchemaGUID(uuidString: SchemaRegistry.guid(of: record)), let id = Int32(exactly: record.id) {
                            index[guid] = id
                        }
                    }
                }
                view.guids = index
            }
            return view.guids?[guid]
        }
    }

    func payloadChecker(schemaID id: Int32) -> (any PayloadChecker)? {
        view.withLock { view in Self.compiled(id, in: &view)?.checker }
    }

    // MARK: Compiling

    /// The compiled form of schema `id`, compiled on first use.
    private static func compiled(_ id: Int32, in view: inout View) -> CompiledSchema? {
        if let cached = view.compiled[id] { return cached }
        guard let record = view.state.schema(id: Int(id)) else { return nil }
        let compiled = CompiledSchema(record, state: view.state)
        view.compiled[id] = compiled
        return compiled
    }
}

/// One registered schema compiled for validation: its record name and its payload check.
struct CompiledSchema: Sendable {
    /// The schema text it was compiled from (to notice an id that now names another schema).
    let text: String
    let recordName: String?
    let checker: any PayloadChecker

    init(_ record: SchemaVersionRecord, state: SchemaRegistryState) {
        text = record.schema
        (recordName, checker) = Self.compile(record, state: state)
    }

    private static func compile(_ record: SchemaVersionRecord, state: SchemaRegistryState) -> (String?, any PayloadChecker) {
        switch record.schemaType.uppercased() {
        case "AVRO":
            do {
                let schema = try avroSchema(record, state: state, depth: 0)
                return (schema.root.fullName, try AvroPayloadChecker(schema: schema))
            } catch {
                return (nil, FailingPayloadChecker(reason: "the registered Avro schema cannot be compiled: \(error)"))
            }
        case "JSON":
            do {
                let (document, referenced) = try jsonDocuments(record, state: state, depth: 0)
                let validator = try JSONSchemaValidator(schema: document, documents: referenced)
                return (document["title"]?.stringValue, JSONPayloadChecker(validator: validator))
            } catch {
                return (nil, FailingPayloadChecker(reason: "the registered JSON Schema cannot be compiled: \(error)"))
            }
        default:
            return (nil, FailingPayloadChecker(reason: "Sluice does not decode \(record.schemaType) payloads"))
        }
    }

    /// The version a reference names (soft-deleted versions still resolve, as in the registry).
    private static func referenced(_ reference: SchemaReference, state: SchemaRegistryState) throws -> SchemaVersionRecord {
        guard let found = state.versions(of: reference.subject, includeDeleted: true).first(where: { $0.version == reference.version }) else {
            throw CatalogError("the reference '\(reference.name)' names subject '\(reference.subject)' version \(reference.version), which does not exist")
        }
        return found
    }

    private static func avroSchema(_ record: SchemaVersionRecord, state: SchemaRegistryState, depth: Int) throws -> AvroSchema {
        guard depth < 32 else { throw CatalogError("references nest deeper than 32 levels") }
        let references = try record.references.map { try avroSchema(referenced($0, state: state), state: state, depth: depth + 1) }
        return try AvroSchema(parsing: record.schema, references: references)
    }

    private static func jsonDocuments(_ record: SchemaVersionRecord, state: SchemaRegistryState, depth: Int) throws -> (JSONValue, [String: JSONValue]) {
        guard depth < 32 else { throw CatalogError("references nest deeper than 32 levels") }
        var documents: [String: JSONValue] = [:]
        for reference in record.references {
            let (document, nested) = try jsonDocuments(referenced(reference, state: state), state: state, depth: depth + 1)
            documents[reference.name] = document
            documents.merge(nested) { mine, _ in mine }
        }
        return (try JSONParser.parse(record.schema), documents)
    }
}

struct CatalogError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Avro payloads: the whole payload must decode as one datum of the writer schema. A top-level
/// `bytes` schema is written raw, without Avro's length prefix, by Confluent's serializers, so
/// any payload is one. Datums are decoded into one reused value (its fields and elements keep
/// their storage), so a record costs no allocations for its shape; the lock is uncontended as
/// long as one append lane validates this schema at a time.
final class AvroPayloadChecker: PayloadChecker {
    let reader: AvroDatumReader?
    private let scratch = Mutex<AvroValue>(.null)

    init(schema: AvroSchema) throws {
        if case .primitive(.bytes, _) = schema.root {
            reader = nil
        } else {
            reader = try AvroDatumReader(writer: schema)
        }
    }

    func problem(with payload: ArraySlice<UInt8>) -> String? {
        guard let reader else { return nil }
        let failure = payload.withUnsafeBytes { raw in
            scratch.withLock { value -> AvroCodingError? in
                do throws(AvroCodingError) {
                    try reader.read(raw, into: &value)
                    return nil
                } catch {
                    return error
                }
            }
        }
        return failure.map { "Avro: \($0.message)" }
    }
}

/// JSON Schema payloads: UTF-8 JSON text, valid against the schema. (`@unchecked`: the
/// compiled validator is immutable once built, whether or not its type says Sendable.)
struct JSONPayloadChecker: PayloadChecker, @unchecked Sendable {
    let validator: JSONSchemaValidator

    func problem(with payload: ArraySlice<UInt8>) -> String? {
        let document: JSONValue
        do {
            document = try JSONParser.parse(Array(payload))
        } catch {
            return "the payload is not JSON: \(error)"
        }
        let violations = validator.violations(of: document)
        guard !violations.isEmpty else { return nil }
        let shown = violations.prefix(3).map(\.description).joined(separator: "; ")
        return "JSON Schema: \(shown)\(violations.count > 3 ? " (and \(violations.count - 3) more)" : "")"
    }
}

/// A schema that cannot be compiled: every payload is refused with the reason.
struct FailingPayloadChecker: PayloadChecker {
    let reason: String
    func problem(with payload: ArraySlice<UInt8>) -> String? { reason }
}
