import Crypto
import Logging
import OrderedJSON
import RegistryCore
import Synchronization

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
    private let loaded = Atomic<Bool>(false)
    /// Whether `_schemas` has been replayed; until then every endpoint answers 50002.
    public nonisolated var isLoaded: Bool { loaded.load(ordering: .acquiring) }
    /// Rendered `GET /schemas/ids/{id}` answers, read by the request handler without a hop.
    nonisolated let schemaByIDResponses = SchemaByIDResponses()
    /// Whether a read-modify-write is running, and who waits for it. An actor is reentrant at
    /// every `await`: without this, two registrations suspended in their appends would both
    /// take `max id + 1`.
    private var writing = false
    private var writeWaiters: [CheckedContinuation<Void, Never>] = []
    /// The log position the running write must be durable at before it is answered.
    private var pendingPosition: Int64?
    /// Schema identity (type, text, references) → id, for reusing ids across subjects without
    /// scanning every version; built on first use, checked against the view when used.
    var idsByIdentity: [String: Int]?

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
        loaded.store(true, ordering: .releasing)
        logger.info("registry loaded", metadata: ["records": "\(applied)", "subjects": "\(state.subjectNames().count)", "max_id": "\(state.maxID)"])
    }

    /// Runs a read-modify-write alone: decisions, appends and their application to the view, in
    /// arrival order. The wait for durability happens after the lock is released, so
    /// concurrent writes share one fdatasync (group commit); a later write's decision may rest
    /// on an earlier record not yet synced, which is safe because its own sync covers that
    /// record too, and neither is acknowledged before.
    func exclusively<T>(_ body: () async throws(RegistryError) -> T) async throws(RegistryError) -> T {
        if writing {
            await withCheckedContinuation { writeWaiters.append($0) }
        } else {
            writing = true
        }
        let result: T
        let durableAt: Int64?
        do {
            defer {
                if writeWaiters.isEmpty { writing = false } else { writeWaiters.removeFirst().resume() }
            }
            pendingPosition = nil
            result = try await body()
            durableAt = pendingPosition
        }
        if let durableAt {
            do {
                try await store.waitUntilDurable(durableAt)
            } catch {
                throw RegistryError.storeError("cannot sync _schemas: \(error)")
            }
        }
        return result
    }

    /// Appends a record and applies it to the view; the caller (inside ``exclusively(_:)``)
    /// answers only once the record is durable.
    func write(_ key: SchemasKey, _ value: [UInt8]?) async throws(RegistryError) {
        let keyBytes = key.encoded(style: state.keyStyle)
        do {
            pendingPosition = try await store.append(key: keyBytes, value: value)
        } catch {
            throw RegistryError.storeError("cannot append to _schemas: \(error)")
        }
        let outcome: SchemaRegistryState.Outcome
        do {
            outcome = try state.apply(key: keyBytes, value: value)
        } catch {
            throw RegistryError.storeError("the view cannot apply its own record: \(error)")
        }
        // After the apply, with no suspension in between: a read that ran during the append
        // rendered the old view, and its answer must not outlive this write.
        schemaByIDResponses.removeAll()
        if case .skipped(let reason) = outcome {
            // Replay skips it the same way, so the view and the log agree; the caller is told.
            logger.error("own _schemas record not applied", metadata: ["reason": "\(reason)"])
            throw RegistryError.storeError("the record was written but not applied: \(reason)")
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

    static func identity(_ parsed: ParsedSchema, _ contract: DataContract) -> String {
        [parsed.type.rawValue, parsed.text,
         parsed.references.map { "\($0.name)\u{1}\($0.subject)\u{1}\($0.version)" }.joined(separator: "\u{2}"),
         contract.metadata ?? "", contract.ruleSet ?? ""].joined(separator: "\u{0}")
    }

    func noteIdentity(of record: SchemaVersionRecord) {
        guard idsByIdentity != nil, let parsed = try? parsed(record) else { return }
        idsByIdentity?[Self.identity(parsed, DataContract(record))] = record.id
    }

    /// The id of an identical schema registered under any subject (ids are global).
    func sameSchemaID(_ candidate: ParsedSchema, contract: DataContract) -> Int? {
        if idsByIdentity == nil {
            var index: [String: Int] = [:]
            for subject in state.subjectNames(includeDeleted: true) {
                for record in state.versions(of: subject, includeDeleted: true) {
                    guard let parsed = try? parsed(record) else { continue }
                    index[Self.identity(parsed, DataContract(record))] = record.id
                }
            }
            idsByIdentity = index
        }
        guard let id = idsByIdentity?[Self.identity(candidate, contract)],
              let record = state.schema(id: id), DataContract(record) == contract,
              (try? parsed(record))?.isSame(as: candidate) == true else {
            return nil
        }
        return id
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
    public static func guid(of record: SchemaVersionRecord) -> String {
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
