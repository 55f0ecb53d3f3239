import OrderedJSON

/// What the registry answers: a status and a JSON body.
public struct RegistryResponse: Sendable, Equatable {
    public var status: Int
    public var body: String
    /// The methods the path answers, for a 405's `Allow` header.
    public var allow: [String] = []

    init(_ status: Int, _ body: String) {
        self.status = status
        self.body = body
    }

    init(_ error: RegistryError) {
        self.init(error.httpStatus, error.body)
    }
}

/// Turns one HTTP request into a registry call and its response. Free of HTTP server types, so
/// the whole REST surface is exercised by unit tests; the Hummingbird server only adapts.
public struct RegistryRequestHandler: Sendable {
    /// The largest request body read (a schema must also fit in one `_schemas` record).
    public static let maxBodySize = 8 << 20

    let registry: SchemaRegistry

    public init(registry: SchemaRegistry) {
        self.registry = registry
    }

    /// - Parameters:
    ///   - query: decoded query parameters (unknown ones are ignored).
    public func handle(method: String, rawPath: String, query: [String: String], body: [UInt8]) async -> RegistryResponse {
        let endpoint: RegistryEndpoint
        switch RegistryRoute.match(method: method, rawPath: rawPath) {
        case .success(let matched): endpoint = matched
        case .failure(let error):
            var response = RegistryResponse(error)
            if error.errorCode == 405 { response.allow = RegistryRoute.allowedMethods(rawPath: rawPath) }
            return response
        }
        guard registry.isLoaded else {
            return RegistryResponse(RegistryError(50002, "The registry is still reading _schemas; retry shortly"))
        }
        let query = Query(query)
        if case .schemaByID(let text) = endpoint, !query.flag("fetchMaxId"), let id = Int(text),
           let cached = registry.schemaByIDResponses.body(for: id) {
            return RegistryResponse(200, cached)
        }
        do {
            return RegistryResponse(200, try await respond(to: endpoint, query: query, body: body))
        } catch {
            return RegistryResponse(error)
        }
    }

    /// Query parameters with Confluent's parsing: booleans are `true` in any case.
    struct Query {
        let values: [String: String]
        init(_ values: [String: String]) { self.values = values }
        func flag(_ name: String) -> Bool { values[name]?.lowercased() == "true" }
        func integer(_ name: String, default value: Int) -> Int { values[name].flatMap { Int($0) } ?? value }
        subscript(name: String) -> String? { values[name] }
        var offset: Int { integer("offset", default: 0) }
        var limit: Int { integer("limit", default: -1) }
    }

    private func json(_ body: [UInt8]) throws(RegistryError) -> JSONValue {
        do {
            return try JSONParser.parse(body)
        } catch {
            throw RegistryError(400, "Malformed JSON in the request body: \(error)")
        }
    }

    private func respond(to endpoint: RegistryEndpoint, query: Query, body: [UInt8]) async throws(RegistryError) -> String {
        let registry = self.registry
        switch endpoint {
        case .root:
            return "{}"
        case .metadataID:
            return "{\"scope\":{\"path\":[],\"clusters\":{\"kafka-cluster\":\"sluice\",\"schema-registry-cluster\":\"sluice-registry\"}}}"
        case .metadataVersion:
            return "{\"version\":\"\(SluiceVersion.current)\",\"commitId\":\"\"}"
        case .schemaTypes:
            return "[\"JSON\",\"AVRO\"]"
        case .contexts:
            return "[\".\"]"
        case .schemas:
            return await registry.schemas(prefix: query["subjectPrefix"], includeDeleted: query.flag("deleted"),
                                          latestOnly: query.flag("latestOnly"), offset: query.offset, limit: query.limit)
        case .schemaByID(let id):
            return try await registry.schemaByID(id, fetchMaxID: query.flag("fetchMaxId"))
        case .schemaTextByID(let id):
            return try await registry.schema(id: id).schema
        case .subjectsByID(let id):
            return try await registry.subjectsByID(id, includeDeleted: query.flag("deleted"), offset: query.offset, limit: query.limit)
        case .versionsByID(let id):
            return try await registry.versionsByID(id, includeDeleted: query.flag("deleted"), offset: query.offset, limit: query.limit)
        case .schemaByGUID(let guid):
            return try await registry.schemaByGUID(guid)
        case .idsByGUID(let guid):
            return try await registry.idsByGUID(guid)
        case .subjects:
            return await registry.subjects(prefix: query["subjectPrefix"], includeDeleted: query.flag("deleted"),
                                           deletedOnly: query.flag("deletedOnly"), offset: query.offset, limit: query.limit)
        case .lookup(let subject):
            return try await registry.lookup(subject: subject, body: try json(body), normalize: query.flag("normalize"),
                                             includeDeleted: query.flag("deleted"))
        case .deleteSubject(let subject):
            return try await registry.deleteSubject(subject: subject, permanent: query.flag("permanent"))
        case .versions(let subject):
            return try await registry.versions(subject: subject, includeDeleted: query.flag("deleted"),
                                               deletedOnly: query.flag("deletedOnly"), offset: query.offset, limit: query.limit)
        case .register(let subject):
            return try await registry.register(subject: subject, body: try json(body), normalize: query.flag("normalize"),
                                               force: query.flag("force"))
        case .version(let subject, let version):
            return try await registry.versionJSON(subject: subject, version: version, includeDeleted: query.flag("deleted"))
        case .versionSchemaText(let subject, let version):
            return try await registry.version(subject: subject, version: version, includeDeleted: query.flag("deleted")).schema
        case .referencedBy(let subject, let version):
            return try await registry.referencedBy(subject: subject, version: version)
        case .deleteVersion(let subject, let version):
            return try await registry.deleteVersion(subject: subject, version: version, permanent: query.flag("permanent"))
        case .compatibilityWithAll(let subject):
            return try await registry.testCompatibility(subject: subject, version: nil, body: try json(body),
                                                        normalize: query.flag("normalize"), verbose: query.flag("verbose"))
        case .compatibilityWithVersion(let subject, let version):
            return try await registry.testCompatibility(subject: subject, version: version, body: try json(body),
                                                        normalize: query.flag("normalize"), verbose: query.flag("verbose"))
        case .getConfig(let subject):
            return try await registry.getConfig(subject: subject, defaultToGlobal: query.flag("defaultToGlobal"))
        case .putConfig(let subject):
            return try await registry.putConfig(subject: subject, body: try json(body))
        case .deleteConfig(let subject):
            return try await registry.deleteConfig(subject: subject)
        case .getMode(let subject):
            return try await registry.getMode(subject: subject, defaultToGlobal: query.flag("defaultToGlobal"))
        case .putMode(let subject):
            return try await registry.putMode(subject: subject, body: try json(body), force: query.flag("force"))
        case .deleteMode(let subject):
            return try await registry.deleteMode(subject: subject)
        }
    }
}

/// The version `GET /v1/metadata/version` reports.
public enum SluiceVersion {
    public static let current = "0.1.0"
}
