/// What the broker may ask about registered schemas while it validates a batch. The broker
/// never imports the schema registry: the node implements this over the registry's
/// materialized `_schemas` view. Every call is synchronous and cheap (it runs on the produce
/// path, on an append lane): implementations answer from memory and cache what they compile.
public protocol SchemaCatalog: Sendable {
    /// False until the registry has read `_schemas`; validating topics then refuse records
    /// rather than judge them against an incomplete view.
    var isReady: Bool { get }

    /// The schema with this id, or nil when no version (live or soft-deleted) uses it.
    func schema(id: Int32) -> CatalogSchema?

    /// The id of the schema with this GUID, or nil when none has it.
    func schemaID(guid: SchemaGUID) -> Int32?

    /// The compiled check of payloads written with schema `id` (nil when no version uses it).
    /// Implementations compile once per id and cache; a validator asks once per batch and id.
    func payloadChecker(schemaID id: Int32) -> (any PayloadChecker)?
}

/// A check of payloads written with one schema, compiled once.
public protocol PayloadChecker: Sendable {
    /// Why `payload` does not decode with (Avro) or validate against (JSON Schema) the schema;
    /// nil when it does.
    func problem(with payload: ArraySlice<UInt8>) -> String?
}

/// What the catalog knows of one schema id.
public struct CatalogSchema: Sendable, Equatable {
    /// Every subject with a version using this id (soft-deleted versions included, as
    /// Redpanda's validation counts them).
    public var subjects: Set<String>
    /// The full name Record strategies use: an Avro named type's full name, a JSON Schema's
    /// `title`; nil when the schema has none.
    public var recordName: String?
    /// AVRO or JSON.
    public var schemaType: String

    public init(subjects: Set<String>, recordName: String?, schemaType: String) {
        self.subjects = subjects
        self.recordName = recordName
        self.schemaType = schemaType
    }
}
