import Foundation
import OrderedJSON
import Synchronization

/// An async client of a Confluent-compatible schema registry (Sluice's, Confluent's, Karapace).
///
/// Answers that never change are cached: schema by id and by GUID, the id of a (subject, schema)
/// pair after a register or lookup, and subject versions. The latest version of a subject is
/// cached too, for `latestCacheTTL` (forever when nil, as confluent-kafka's default). Calls are
/// retried with jittered backoff on 408/429/5xx and connection failures, and go to the next URL
/// of the list when one does not answer. Errors carry the registry's `error_code` and message.
///
/// Safe to share: the caches sit behind one `Mutex` that is never held across a request.
public final class SchemaRegistryClient: Sendable {
    public struct Configuration: Sendable {
        /// Base URLs, tried in order (`http://127.0.0.1:8081`).
        public var urls: [String]
        public var authentication: RegistryAuthentication
        public var retry: RegistryRetryPolicy
        /// Entries per cache.
        public var cacheCapacity: Int
        /// How long a subject's latest version is reused; nil: until the client is dropped.
        public var latestCacheTTL: Duration?

        public init(urls: [String], authentication: RegistryAuthentication = .none, retry: RegistryRetryPolicy = .init(),
                    cacheCapacity: Int = 1000, latestCacheTTL: Duration? = nil) {
            // "a,b" is a list, as in Confluent's `url` setting.
            self.urls = urls.flatMap { $0.split(separator: ",") }.map { url in
                var trimmed = url.trimmingCharacters(in: .whitespaces)
                while trimmed.hasSuffix("/") { trimmed.removeLast() }
                return trimmed
            }.filter { !$0.isEmpty }
            self.authentication = authentication
            self.retry = retry
            self.cacheCapacity = cacheCapacity
            self.latestCacheTTL = latestCacheTTL
        }
    }

    struct RegistrationKey: Hashable {
        let subject: String
        let schema: Schema
        let normalize: Bool
    }

    struct VersionKey: Hashable {
        let subject: String
        let version: Int
    }

    struct Caches {
        var byID: BoundedCache<Int, RegisteredSchema>
        var byGUID: BoundedCache<String, RegisteredSchema>
        var registered: BoundedCache<RegistrationKey, RegisteredSchema>
        var versions: BoundedCache<VersionKey, RegisteredSchema>
        var latest: BoundedCache<String, (schema: RegisteredSchema, fetched: ContinuousClock.Instant)>
    }

    public let configuration: Configuration
    let transport: any RegistryTransport
    let caches: Mutex<Caches>

    public init(configuration: Configuration, transport: any RegistryTransport = AsyncHTTPRegistryTransport()) {
        precondition(!configuration.urls.isEmpty, "a schema registry client needs at least one URL")
        self.configuration = configuration
        self.transport = transport
        let capacity = configuration.cacheCapacity
        caches = Mutex(Caches(byID: .init(capacity: capacity), byGUID: .init(capacity: capacity),
                              registered: .init(capacity: capacity), versions: .init(capacity: capacity),
                              latest: .init(capacity: capacity)))
    }

    public convenience init(url: String, authentication: RegistryAuthentication = .none) {
        self.init(configuration: Configuration(urls: [url], authentication: authentication))
    }

    // MARK: Schemas

    /// Registers `schema` under `subject` (or finds it registered) and returns its id, version and
    /// GUID as far as the registry says them. Cached per (subject, schema).
    public func register(subject: String, schema: Schema, normalize: Bool = false) async throws(SchemaRegistryError) -> RegisteredSchema {
        let key = RegistrationKey(subject: subject, schema: schema, normalize: normalize)
        if let hit = caches.withLock({ $0.registered[key] }) { return hit }
        let json = try await call("POST", ["subjects", subject, "versions"], query: [("normalize", String(normalize))], body: schema.requestBody())
        var registered = try RegisteredSchema(json: json, fallback: schema, request: "register under \(subject)")
        registered.subject = registered.subject ?? subject
        remember(registered, for: key)
        return registered
    }

    /// Registers with an explicit id and version (the registry must be in IMPORT mode). Not cached.
    public func importSchema(subject: String, schema: Schema, id: Int, version: Int) async throws(SchemaRegistryError) -> RegisteredSchema {
        let json = try await call("POST", ["subjects", subject, "versions"], body: schema.requestBody(id: id, version: version))
        var registered = try RegisteredSchema(json: json, fallback: schema, request: "import into \(subject)")
        registered.subject = subject
        registered.version = registered.version ?? version
        return registered
    }

    /// The version of `subject` that holds `schema` (40401 / 40403 when there is none).
    public func lookup(subject: String, schema: Schema, normalize: Bool = false, deleted: Bool = false) async throws(SchemaRegistryError) -> RegisteredSchema {
        let key = RegistrationKey(subject: subject, schema: schema, normalize: normalize)
        if !deleted, let hit = caches.withLock({ $0.registered[key] }) { return hit }
        let json = try await call("POST", ["subjects", subject], query: [("normalize", String(normalize)), ("deleted", String(deleted))],
                                  body: schema.requestBody())
        var found = try RegisteredSchema(json: json, fallback: schema, request: "lookup in \(subject)")
        found.subject = found.subject ?? subject
        if !deleted { remember(found, for: key) }
        return found
    }

    /// The schema with registry id `id` (cached: an id never changes its schema).
    public func schema(id: Int, subject: String? = nil) async throws(SchemaRegistryError) -> RegisteredSchema {
        if let hit = caches.withLock({ $0.byID[id] }) { return hit }
        let json = try await call("GET", ["schemas", "ids", String(id)], query: subject.map { [("subject", $0)] } ?? [])
        // The by-id answer has no id field of its own.
        let withID = json.adding("id", .number(String(id)))
        let found = try RegisteredSchema(json: withID, request: "schema id \(id)")
        caches.withLock { $0.byID.insert(found, for: id) }
        return found
    }

    /// The schema with GUID `guid` (the header form of the wire format names schemas this way).
    public func schema(guid: String) async throws(SchemaRegistryError) -> RegisteredSchema {
        let guid = guid.lowercased()
        if let hit = caches.withLock({ $0.byGUID[guid] }) { return hit }
        let json = try await call("GET", ["schemas", "guids", guid])
        var members = json.objectValue ?? []
        if json["id"] == nil { members.append(("id", .number("-1"))) }
        var found = try RegisteredSchema(json: .object(members), request: "schema GUID \(guid)")
        found.guid = guid
        caches.withLock { $0.byGUID.insert(found, for: guid) }
        return found
    }

    /// One version of a subject (cached unless `deleted`).
    public func version(subject: String, version: Int, deleted: Bool = false) async throws(SchemaRegistryError) -> RegisteredSchema {
        let key = VersionKey(subject: subject, version: version)
        if !deleted, let hit = caches.withLock({ $0.versions[key] }) { return hit }
        let json = try await call("GET", ["subjects", subject, "versions", String(version)], query: [("deleted", String(deleted))])
        let found = try RegisteredSchema(json: json, request: "\(subject) version \(version)")
        if !deleted && !found.deleted { caches.withLock { $0.versions.insert(found, for: key) } }
        return found
    }

    /// The latest live version of a subject (cached for `latestCacheTTL`).
    public func latestVersion(subject: String) async throws(SchemaRegistryError) -> RegisteredSchema {
        let now = ContinuousClock.now
        let ttl = configuration.latestCacheTTL
        if let hit = caches.withLock({ $0.latest[subject] }), ttl.map({ hit.fetched.duration(to: now) < $0 }) ?? true {
            return hit.schema
        }
        let json = try await call("GET", ["subjects", subject, "versions", "latest"])
        let found = try RegisteredSchema(json: json, request: "\(subject) latest version")
        caches.withLock { $0.latest.insert((found, now), for: subject) }
        return found
    }

    // MARK: Subjects and versions

    public func subjects(prefix: String? = nil, deleted: Bool = false, deletedOnly: Bool = false) async throws(SchemaRegistryError) -> [String] {
        var query = [("deleted", String(deleted))]
        if deletedOnly { query.append(("deletedOnly", "true")) }
        if let prefix { query.append(("subjectPrefix", prefix)) }
        return try strings(await call("GET", ["subjects"], query: query), request: "list subjects")
    }

    public func versions(subject: String, deleted: Bool = false) async throws(SchemaRegistryError) -> [Int] {
        try integers(await call("GET", ["subjects", subject, "versions"], query: [("deleted", String(deleted))]), request: "versions of \(subject)")
    }

    /// Subjects that hold schema `id`.
    public func subjects(id: Int, deleted: Bool = false) async throws(SchemaRegistryError) -> [String] {
        try strings(await call("GET", ["schemas", "ids", String(id), "subjects"], query: [("deleted", String(deleted))]), request: "subjects of id \(id)")
    }

    /// Deletes every version (soft, or `permanent` after a soft delete); returns their numbers.
    @discardableResult
    public func deleteSubject(_ subject: String, permanent: Bool = false) async throws(SchemaRegistryError) -> [Int] {
        let result = try integers(await call("DELETE", ["subjects", subject], query: [("permanent", String(permanent))]), request: "delete \(subject)")
        forget(subject: subject)
        return result
    }

    /// Deletes one version (`"latest"` or a number); returns the number deleted.
    @discardableResult
    public func deleteVersion(subject: String, version: String, permanent: Bool = false) async throws(SchemaRegistryError) -> Int {
        let json = try await call("DELETE", ["subjects", subject, "versions", version], query: [("permanent", String(permanent))])
        forget(subject: subject)
        guard let number = json.integerValue else { throw .invalidResponse(request: "delete \(subject) version \(version)", reason: "expected a number, got \(json.kindName)") }
        return Int(number)
    }

    // MARK: Compatibility, config, mode

    /// Checks `schema` against one version of `subject` (`version` = a number or `"latest"`), or
    /// against what a registration would be checked against (`version` nil). `verbose` asks for
    /// every reason.
    public func testCompatibility(subject: String, schema: Schema, version: String? = nil, verbose: Bool = true,
                                  normalize: Bool = false) async throws(SchemaRegistryError) -> CompatibilityResult {
        var path = ["compatibility", "subjects", subject, "versions"]
        if let version { path.append(version) }
        let json = try await call("POST", path, query: [("normalize", String(normalize)), ("verbose", String(verbose))], body: schema.requestBody())
        guard let compatible = json["is_compatible"]?.boolValue else {
            throw .invalidResponse(request: "compatibility of \(subject)", reason: "no is_compatible in \(String(json.compactText.prefix(200)))")
        }
        return CompatibilityResult(isCompatible: compatible, messages: (json["messages"]?.arrayValue ?? []).map { $0.stringValue ?? $0.compactText })
    }

    /// The config of a subject (or the global one): `compatibilityLevel` and whatever else is set.
    public func config(subject: String? = nil, defaultToGlobal: Bool = false) async throws(SchemaRegistryError) -> JSONValue {
        try await call("GET", ["config"] + (subject.map { [$0] } ?? []), query: [("defaultToGlobal", String(defaultToGlobal))])
    }

    /// The effective compatibility level of a subject (its own, else the global one).
    public func compatibilityLevel(subject: String? = nil) async throws(SchemaRegistryError) -> CompatibilityLevel {
        let json = try await config(subject: subject, defaultToGlobal: true)
        guard let name = json["compatibilityLevel"]?.stringValue ?? json["compatibility"]?.stringValue,
              let level = CompatibilityLevel(name: name) else {
            throw .invalidResponse(request: "config", reason: "no compatibility level in \(json.compactText)")
        }
        return level
    }

    @discardableResult
    public func setCompatibility(_ level: CompatibilityLevel, subject: String? = nil) async throws(SchemaRegistryError) -> JSONValue {
        try await call("PUT", ["config"] + (subject.map { [$0] } ?? []), body: .object([("compatibility", .string(level.rawValue))]))
    }

    /// Removes a subject's own config (or resets the global one); returns the previous config.
    @discardableResult
    public func deleteConfig(subject: String? = nil) async throws(SchemaRegistryError) -> JSONValue {
        try await call("DELETE", ["config"] + (subject.map { [$0] } ?? []))
    }

    public func mode(subject: String? = nil, defaultToGlobal: Bool = true) async throws(SchemaRegistryError) -> RegistryMode {
        let json = try await call("GET", ["mode"] + (subject.map { [$0] } ?? []), query: [("defaultToGlobal", String(defaultToGlobal))])
        guard let name = json["mode"]?.stringValue, let mode = RegistryMode(name: name) else {
            throw .invalidResponse(request: "mode", reason: "no mode in \(json.compactText)")
        }
        return mode
    }

    /// Sets the mode; `force` allows IMPORT while subjects exist.
    public func setMode(_ mode: RegistryMode, subject: String? = nil, force: Bool = false) async throws(SchemaRegistryError) {
        _ = try await call("PUT", ["mode"] + (subject.map { [$0] } ?? []), query: [("force", String(force))],
                           body: .object([("mode", .string(mode.rawValue))]))
    }

    public func deleteMode(subject: String? = nil) async throws(SchemaRegistryError) {
        _ = try await call("DELETE", ["mode"] + (subject.map { [$0] } ?? []))
    }

    public func schemaTypes() async throws(SchemaRegistryError) -> [String] {
        try strings(await call("GET", ["schemas", "types"]), request: "schema types")
    }

    // MARK: Cache upkeep

    private func remember(_ registered: RegisteredSchema, for key: RegistrationKey) {
        caches.withLock { caches in
            caches.registered.insert(registered, for: key)
            if registered.id >= 0 && caches.byID[registered.id] == nil { caches.byID.insert(registered, for: registered.id) }
        }
    }

    /// A delete changes what `latest` and (subject, schema) mean; ids stay valid.
    private func forget(subject: String) {
        caches.withLock { caches in
            caches.latest.removeAll { $0 == subject }
            caches.registered.removeAll { $0.subject == subject }
            caches.versions.removeAll { $0.subject == subject }
        }
    }

    private func strings(_ json: JSONValue, request: String) throws(SchemaRegistryError) -> [String] {
        guard let items = json.arrayValue else { throw .invalidResponse(request: request, reason: "expected an array, got \(json.kindName)") }
        return items.compactMap(\.stringValue)
    }

    private func integers(_ json: JSONValue, request: String) throws(SchemaRegistryError) -> [Int] {
        guard let items = json.arrayValue else { throw .invalidResponse(request: request, reason: "expected an array, got \(json.kindName)") }
        return items.compactMap { $0.integerValue.map(Int.init) }
    }
}

extension JSONValue {
    func adding(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var members) = self, self[key] == nil else { return self }
        members.append((key, value))
        return .object(members)
    }
}
