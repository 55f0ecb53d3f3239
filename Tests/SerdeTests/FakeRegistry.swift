import Foundation
import OrderedJSON
import Serde
import Synchronization

/// A tiny in-memory registry behind the client's transport protocol: register, lookup, get by id,
/// versions and latest, enough to test the client's caches and retries and the serializers
/// without a network. Failures can be scripted per call.
final class FakeRegistry: RegistryTransport, Sendable {
    struct Stored: Sendable {
        var subject: String
        var version: Int
        var id: Int
        var schema: String
        var type: String
    }

    enum Failure: Sendable {
        case status(Int, body: String)
        case connectionRefused
    }

    struct State: Sendable {
        var versions: [Stored] = []
        var requests: [(method: String, url: String, headers: [String: String])] = []
        var failures: [Failure] = []
    }

    let state = Mutex(State())

    struct ConnectionRefused: Error, CustomStringConvertible {
        var description: String { "connection refused" }
    }

    var requests: [(method: String, url: String, headers: [String: String])] { state.withLock { $0.requests } }

    func failNext(_ failures: Failure...) {
        state.withLock { $0.failures += failures }
    }

    func send(_ request: RegistryHTTPRequest) async throws -> RegistryHTTPResponse {
        let failure: Failure? = state.withLock { state in
            state.requests.append((request.method, request.url, Dictionary(request.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })))
            return state.failures.isEmpty ? nil : state.failures.removeFirst()
        }
        switch failure {
        case .connectionRefused: throw ConnectionRefused()
        case .status(let status, let body): return RegistryHTTPResponse(status: status, body: Array(body.utf8))
        case nil: break
        }
        let url = URLComponents(string: request.url)!
        let path = url.percentEncodedPath.split(separator: "/").map { String($0).removingPercentEncoding! }
        let body = try request.body.map { try JSONParser.parse($0) }
        return state.withLock { state in handle(request.method, path, body, &state) }
    }

    private func handle(_ method: String, _ path: [String], _ body: JSONValue?, _ state: inout State) -> RegistryHTTPResponse {
        func json(_ value: JSONValue, status: Int = 200) -> RegistryHTTPResponse {
            RegistryHTTPResponse(status: status, body: Array(value.compactText.utf8))
        }
        func error(_ code: Int, _ message: String) -> RegistryHTTPResponse {
            json(.object([("error_code", .number(String(code))), ("message", .string(message))]), status: code / 100)
        }
        func entity(_ stored: Stored) -> JSONValue {
            .object([("subject", .string(stored.subject)), ("version", .number(String(stored.version))), ("id", .number(String(stored.id))),
                     ("schemaType", .string(stored.type)), ("schema", .string(stored.schema))])
        }
        switch (method, path) {
        case ("POST", let p) where p.count == 3 && p[0] == "subjects" && p[2] == "versions":
            let text = body?["schema"]?.stringValue ?? ""
            let type = body?["schemaType"]?.stringValue ?? "AVRO"
            if let existing = state.versions.first(where: { $0.subject == p[1] && $0.schema == text }) {
                return json(.object([("id", .number(String(existing.id)))]))
            }
            let id = state.versions.first(where: { $0.schema == text })?.id ?? (state.versions.map(\.id).max() ?? 0) + 1
            let version = (state.versions.filter { $0.subject == p[1] }.map(\.version).max() ?? 0) + 1
            state.versions.append(Stored(subject: p[1], version: version, id: id, schema: text, type: type))
            return json(.object([("id", .number(String(id))), ("version", .number(String(version)))]))
        case ("POST", let p) where p.count == 2 && p[0] == "subjects":
            let text = body?["schema"]?.stringValue ?? ""
            guard state.versions.contains(where: { $0.subject == p[1] }) else { return error(40401, "Subject '\(p[1])' not found.") }
            guard let found = state.versions.first(where: { $0.subject == p[1] && $0.schema == text }) else { return error(40403, "Schema not found") }
            return json(entity(found))
        case ("GET", let p) where p.count == 3 && p[0] == "schemas" && p[1] == "ids":
            guard let found = state.versions.first(where: { String($0.id) == p[2] }) else { return error(40403, "Schema \(p[2]) not found") }
            return json(.object([("schemaType", .string(found.type)), ("schema", .string(found.schema))]))
        case ("GET", let p) where p.count == 4 && p[0] == "subjects" && p[2] == "versions":
            let versions = state.versions.filter { $0.subject == p[1] }
            guard !versions.isEmpty else { return error(40401, "Subject '\(p[1])' not found.") }
            let found = p[3] == "latest" ? versions.max { $0.version < $1.version } : versions.first { String($0.version) == p[3] }
            guard let found else { return error(40402, "Version \(p[3]) not found.") }
            return json(entity(found))
        case ("GET", ["subjects"]):
            return json(.array(Set(state.versions.map(\.subject)).sorted().map { .string($0) }))
        default:
            return error(40400, "HTTP 404 Not Found")
        }
    }
}
