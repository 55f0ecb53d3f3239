import Crypto
import Logging
import OrderedJSON
import RegistryCore

/// The schema registry: a view over the `_schemas` topic (DESIGN §2.6). Reads answer from the
/// materialized ``SchemaRegistryState``; a write appends a record, applies that same record to
/// the view, and only then answers, so a client reads its own writes. The actor serializes
/// writes, so decisions (next version, id reuse, compatibility) are made on the current view.
public actor SchemaRegistry {
    var state = SchemaRegistryState()
    let store: any SchemasStore
    let logger: Logger
    /// Parsed schemas by id; a stored schema is parsed once, when first needed.
    var parsedByID: [Int: ParsedSchema] = [:]
    public private(set) var isLoaded = false

    public init(store: any SchemasStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Replays `_schemas` into the view. Records the view cannot use are logged and skipped,
    /// as Karapace does, so one bad record does not keep the registry down.
    public func load() async throws {
        var applied = 0
        for (offset, record) in try await store.readAll().enumerated() {
            do {
                if case .skipped(let reason) = try state.apply(key: record.key, value: record.value) {
                    logger.debug("skipped a _schemas record", metadata: ["offset": "\(offset)", "reason": "\(reason)"])
                } else {
                    applied += 1
                }
            } catch {
                logger.warning("unreadable _schemas record skipped", metadata: ["offset": "\(offset)", "error": "\(error)"])
            }
        }
        isLoaded = true
        logger.info("registry loaded", metadata: ["records": "\(applied)", "subjects": "\(state.subjectNames().count)", "max_id": "\(state.maxID)"])
    }

    /// Appends a record, then applies it to the view.
    func write(_ key: SchemasKey, _ value: [UInt8]?) async throws(RegistryError) {
        let keyBytes = key.encoded(style: state.keyStyle)
        do {
            try await store.append(key: keyBytes, value: value)
        } catch {
            throw RegistryError.storeError("cannot append to _schemas: \(error)")
        }
        do {
            try state.apply(key: keyBytes, value: value)
        } catch {
            throw RegistryError.storeError("the view cannot apply its own record: \(error)")
        }
    }

    // MARK: Parsing

    /// The parsed form of a stored version (cached by id).
    func parsed(_ record: SchemaVersionRecord) throws(RegistryError) -> ParsedSchema {
        if let cached = parsedByID[record.id] { return cached }
        let parsed = try parse(text: record.schema, type: SchemaType.named(record.schemaType),
                               references: record.references, normalize: false, depth: 0)
        parsedByID[record.id] = parsed
        return parsed
    }

    /// Parses a schema with its references resolved to registered versions.
    func parse(text: String, type: SchemaType, references: [SchemaReference], normalize: Bool,
               depth: Int = 0) throws(RegistryError) -> ParsedSchema {
        guard depth < 32 else { throw RegistryError.invalidSchema("references nest deeper than 32 levels") }
        var referenced: [ParsedSchema] = []
        for reference in references {
            guard let record = state.versions(of: reference.subject, includeDeleted: true).first(where: { $0.version == reference.version }) else {
                throw RegistryError.invalidSchema("the reference '\(reference.name)' names subject '\(reference.subject)' version \(reference.version), which does not exist")
            }
            if let cached = parsedByID[record.id] {
                referenced.append(cached)
            } else {
                referenced.append(try parse(text: record.schema, type: try SchemaType.named(record.schemaType),
                                            references: record.references, normalize: false, depth: depth + 1))
            }
        }
        return try ParsedSchema(type: type, text: text, references: references, referenced: referenced, normalize: normalize)
    }

    // MARK: Helpers shared by the endpoints

    /// Live versions of a subject, or 40401 when it has none (or, with `includeDeleted`, none at all).
    func requireVersions(_ subject: String, includeDeleted: Bool) throws(RegistryError) -> [SchemaVersionRecord] {
        let versions = state.versions(of: subject, includeDeleted: includeDeleted)
        guard !versions.isEmpty else { throw RegistryError.subjectNotFound(subject) }
        return versions
    }

    /// Resolves a version path segment (`latest`, `-1` or a number) to a stored version.
    func resolveVersion(_ subject: String, _ text: String, includeDeleted: Bool) throws(RegistryError) -> SchemaVersionRecord {
        let number = try Self.versionNumber(text)
        let all = try requireVersions(subject, includeDeleted: includeDeleted)
        if number == -1 { return all.last! }
        guard let record = all.first(where: { $0.version == number }) else { throw RegistryError.versionNotFound(number) }
        return record
    }

    /// `latest` (any case) or `-1` is -1; a number in 1...2^31-1 is itself; anything else 42202.
    static func versionNumber(_ text: String) throws(RegistryError) -> Int {
        let trimmed = text.trimmingSpaces
        if trimmed.lowercased() == "latest" { return -1 }
        guard let number = Int32(trimmed), number == -1 || number >= 1 else { throw RegistryError.invalidVersion(text) }
        return Int(number)
    }

    /// The GUID Confluent derives from a schema: the MD5 of its text and references, as a UUID.
    static func guid(of record: SchemaVersionRecord) -> String {
        var bytes = Array(record.schema.utf8)
        for reference in record.references {
            bytes += Array(reference.name.utf8)
            bytes += Array(reference.subject.utf8)
            bytes += withUnsafeBytes(of: Int32(reference.version).bigEndian, Array.init)
        }
        let hex = Insecure.MD5.hash(data: bytes).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }

    /// The schema with this GUID, if any version still uses it.
    func record(guid: String) -> SchemaVersionRecord? {
        let wanted = guid.lowercased()
        for subject in state.subjectNames(includeDeleted: true) {
            for record in state.versions(of: subject, includeDeleted: true) where Self.guid(of: record) == wanted {
                return record
            }
        }
        return nil
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
