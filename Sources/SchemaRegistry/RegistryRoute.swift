/// The registry's endpoints (the REST API notes, §3), one case each, with their path values
/// percent-decoded.
public enum RegistryEndpoint: Sendable, Equatable {
    case root
    case metadataID, metadataVersion
    case schemaTypes, schemas
    case schemaByID(String), schemaTextByID(String), subjectsByID(String), versionsByID(String)
    case schemaByGUID(String), idsByGUID(String)
    case subjects
    case lookup(subject: String), deleteSubject(subject: String)
    case versions(subject: String), register(subject: String)
    case version(subject: String, version: String), deleteVersion(subject: String, version: String)
    case versionSchemaText(subject: String, version: String), referencedBy(subject: String, version: String)
    case compatibilityWithAll(subject: String), compatibilityWithVersion(subject: String, version: String)
    case getConfig(subject: String?), putConfig(subject: String?), deleteConfig(subject: String?)
    case getMode(subject: String?), putMode(subject: String?), deleteMode(subject: String?)
    case contexts
}

/// Maps a method and a raw path to an endpoint. Pure: no HTTP types, so every rule (trailing
/// slashes, percent-encoded subjects, 404 against 405) is unit-tested.
public enum RegistryRoute {
    private typealias Build = @Sendable ([String]) -> RegistryEndpoint
    /// `*` matches one segment; the captured segments are passed in order.
    private static let table: [(method: String, pattern: [String], build: Build)] = [
        ("GET", [], { _ in .root }),
        ("POST", [], { _ in .root }),
        ("GET", ["v1", "metadata", "id"], { _ in .metadataID }),
        ("GET", ["v1", "metadata", "version"], { _ in .metadataVersion }),
        ("GET", ["schemas", "types"], { _ in .schemaTypes }),
        ("GET", ["schemas"], { _ in .schemas }),
        ("GET", ["schemas", "ids", "*"], { .schemaByID($0[0]) }),
        ("GET", ["schemas", "ids", "*", "schema"], { .schemaTextByID($0[0]) }),
        ("GET", ["schemas", "ids", "*", "subjects"], { .subjectsByID($0[0]) }),
        ("GET", ["schemas", "ids", "*", "versions"], { .versionsByID($0[0]) }),
        ("GET", ["schemas", "guids", "*"], { .schemaByGUID($0[0]) }),
        ("GET", ["schemas", "guids", "*", "ids"], { .idsByGUID($0[0]) }),
        ("GET", ["subjects"], { _ in .subjects }),
        ("POST", ["subjects", "*"], { .lookup(subject: $0[0]) }),
        ("DELETE", ["subjects", "*"], { .deleteSubject(subject: $0[0]) }),
        ("GET", ["subjects", "*", "versions"], { .versions(subject: $0[0]) }),
        ("POST", ["subjects", "*", "versions"], { .register(subject: $0[0]) }),
        ("GET", ["subjects", "*", "versions", "*"], { .version(subject: $0[0], version: $0[1]) }),
        ("DELETE", ["subjects", "*", "versions", "*"], { .deleteVersion(subject: $0[0], version: $0[1]) }),
        ("GET", ["subjects", "*", "versions", "*", "schema"], { .versionSchemaText(subject: $0[0], version: $0[1]) }),
        ("GET", ["subjects", "*", "versions", "*", "referencedby"], { .referencedBy(subject: $0[0], version: $0[1]) }),
        ("POST", ["compatibility", "subjects", "*", "versions"], { .compatibilityWithAll(subject: $0[0]) }),
        ("POST", ["compatibility", "subjects", "*", "versions", "*"], { .compatibilityWithVersion(subject: $0[0], version: $0[1]) }),
        ("GET", ["config"], { _ in .getConfig(subject: nil) }),
        ("PUT", ["config"], { _ in .putConfig(subject: nil) }),
        ("DELETE", ["config"], { _ in .deleteConfig(subject: nil) }),
        ("GET", ["config", "*"], { .getConfig(subject: $0[0]) }),
        ("PUT", ["config", "*"], { .putConfig(subject: $0[0]) }),
        ("DELETE", ["config", "*"], { .deleteConfig(subject: $0[0]) }),
        ("GET", ["mode"], { _ in .getMode(subject: nil) }),
        ("PUT", ["mode"], { _ in .putMode(subject: nil) }),
        ("DELETE", ["mode"], { _ in .deleteMode(subject: nil) }),
        ("GET", ["mode", "*"], { .getMode(subject: $0[0]) }),
        ("PUT", ["mode", "*"], { .putMode(subject: $0[0]) }),
        ("DELETE", ["mode", "*"], { .deleteMode(subject: $0[0]) }),
        ("GET", ["contexts"], { _ in .contexts }),
    ]

    /// The endpoint for `method` and `rawPath` (without the query); 404 for an unknown path,
    /// 405 for a known path with another method. One trailing slash is ignored, as Confluent's
    /// Jersey server ignores it.
    public static func match(method: String, rawPath: String) -> Result<RegistryEndpoint, RegistryError> {
        guard let segments = segments(of: rawPath) else { return .failure(RegistryError(404, "HTTP 404 Not Found")) }
        var pathMatched = false
        for route in table {
            guard let captures = captures(route.pattern, segments) else { continue }
            pathMatched = true
            if route.method == method { return .success(route.build(captures)) }
        }
        return .failure(pathMatched ? RegistryError(405, "HTTP 405 Method Not Allowed") : RegistryError(404, "HTTP 404 Not Found"))
    }

    /// The methods a path answers (the `Allow` header of a 405).
    public static func allowedMethods(rawPath: String) -> [String] {
        guard let segments = segments(of: rawPath) else { return [] }
        return table.filter { captures($0.pattern, segments) != nil }.map(\.method)
    }

    private static func segments(of rawPath: String) -> [String]? {
        var path = Substring(rawPath)
        if path.hasPrefix("/") { path = path.dropFirst() }
        if path.hasSuffix("/") { path = path.dropLast() }
        var decoded: [String] = []
        for segment in path.isEmpty ? [] : path.split(separator: "/", omittingEmptySubsequences: false) {
            guard let text = percentDecoded(String(segment)) else { return nil }
            decoded.append(text)
        }
        return decoded
    }

    private static func captures(_ pattern: [String], _ segments: [String]) -> [String]? {
        guard pattern.count == segments.count else { return nil }
        var captured: [String] = []
        for (part, segment) in zip(pattern, segments) {
            if part == "*" {
                captured.append(segment)
            } else if part != segment {
                return nil
            }
        }
        return captured
    }

    /// `%XX` sequences decoded as UTF-8; nil when malformed.
    static func percentDecoded(_ segment: String) -> String? {
        guard segment.contains("%") else { return segment }
        var bytes: [UInt8] = []
        var iterator = Array(segment.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
