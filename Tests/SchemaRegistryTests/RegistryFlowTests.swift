import Logging
import RegistryCore
import Synchronization
import Testing
@testable import SchemaRegistry

/// An in-memory `_schemas` topic, so the registry's logic is tested without a broker.
final class MemorySchemasStore: SchemasStore {
    let records = Mutex<[(key: [UInt8], value: [UInt8]?)]>([])
    let failing = Mutex(false)

    func append(key: [UInt8], value: [UInt8]?) async throws -> Int64 {
        // Suspends, as a real append does, so concurrent writers interleave here.
        await Task.yield()
        if failing.withLock({ $0 }) { throw RegistryError(50001, "disk gone") }
        return records.withLock {
            $0.append((key, value))
            return Int64($0.count)
        }
    }

    func waitUntilDurable(_ position: Int64) async throws {
        await Task.yield()
    }

    func readAll() async throws -> [(key: [UInt8], value: [UInt8]?)] {
        records.withLock { $0 }
    }
}

@Suite struct RegistryFlowTests {
    static let v1 = #"{"schema":"{\"type\":\"record\",\"name\":\"U\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}"}"#
    static let v2 = #"{"schema":"{\"type\":\"record\",\"name\":\"U\",\"fields\":[{\"name\":\"a\",\"type\":\"long\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}]}"}"#

    func handler(_ store: MemorySchemasStore) async throws -> RegistryRequestHandler {
        let registry = SchemaRegistry(store: store, logger: Logger(label: "test"))
        try await registry.load()
        return RegistryRequestHandler(registry: registry)
    }

    func call(_ handler: RegistryRequestHandler, _ method: String, _ path: String, _ body: String = "",
              query: [String: String] = [:]) async -> RegistryResponse {
        await handler.handle(method: method, rawPath: path, query: query, body: Array(body.utf8))
    }

    @Test func writesAreReplayedIntoTheSameView() async throws {
        let store = MemorySchemasStore()
        let first = try await handler(store)
        #expect(await call(first, "POST", "/subjects/s/versions", Self.v1).body.hasPrefix(#"{"id":1,"version":1,"#))
        #expect(await call(first, "POST", "/subjects/s/versions", Self.v2).body.hasPrefix(#"{"id":2,"version":2,"#))
        #expect(await call(first, "PUT", "/config/s", #"{"compatibility":"none"}"#).body == #"{"compatibility":"NONE"}"#)
        #expect(await call(first, "DELETE", "/subjects/s/versions/1").body == "1")

        // A second registry replaying the same records answers the same.
        let second = try await handler(store)
        #expect(await call(second, "GET", "/subjects/s/versions").body == "[2]")
        #expect(await call(second, "GET", "/subjects/s/versions", query: ["deleted": "TRUE"]).body == "[1,2]")
        #expect(await call(second, "GET", "/config/s").body == #"{"compatibilityLevel":"NONE"}"#)
        #expect(await call(second, "POST", "/subjects/t/versions", Self.v2).body.hasPrefix(#"{"id":2,"version":1,"#))
        #expect(await call(second, "POST", "/subjects/u/versions", #"{"schema":"\"string\""}"#).body.hasPrefix(#"{"id":3,"#))
    }

    @Test func concurrentRegistrationsGetDistinctIDsAndAllLand() async throws {
        let store = MemorySchemasStore()
        let registry = try await handler(store)
        _ = await call(registry, "PUT", "/config", #"{"compatibility":"NONE"}"#)
        let count = 40
        let answers = await withTaskGroup(of: String.self) { group in
            for index in 0..<count {
                group.addTask {
                    let body = #"{"schema":"{\"type\":\"record\",\"name\":\"R\#(index)\",\"fields\":[]}"}"#
                    return await call(registry, "POST", "/subjects/s\(index % 4)/versions", body).body
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let ids = answers.compactMap { $0.split(separator: ",").first?.split(separator: ":").last.flatMap { Int($0) } }
        #expect(Set(ids) == Set(1...count), "\(answers)")
        // Every acknowledged registration is in the view and in the log.
        let replayed = try await handler(store)
        for subject in 0..<4 {
            #expect(await call(replayed, "GET", "/subjects/s\(subject)/versions").body
                == "[" + (1...(count / 4)).map(String.init).joined(separator: ",") + "]")
        }
    }

    @Test func aFailedAppendChangesNothing() async throws {
        let store = MemorySchemasStore()
        let registry = try await handler(store)
        store.failing.withLock { $0 = true }
        let failed = await call(registry, "POST", "/subjects/s/versions", Self.v1)
        #expect(failed.status == 500)
        #expect(failed.body.contains("50001"))
        #expect(await call(registry, "GET", "/subjects").body == "[]")
        store.failing.withLock { $0 = false }
        #expect(await call(registry, "POST", "/subjects/s/versions", Self.v1).body.hasPrefix(#"{"id":1,"#))
    }

    @Test func aCachedSchemaByIDAnswerDoesNotOutliveAHardDelete() async throws {
        let registry = try await handler(MemorySchemasStore())
        #expect(await call(registry, "POST", "/subjects/s/versions", Self.v1).body.hasPrefix(#"{"id":1,"#))
        let first = await call(registry, "GET", "/schemas/ids/1")
        #expect(first.status == 200)
        // The second read is served from the rendered-answer cache and must be identical.
        #expect(await call(registry, "GET", "/schemas/ids/1") == first)
        #expect(await call(registry, "GET", "/schemas/ids/1", query: ["fetchMaxId": "true"]).body.hasSuffix(#","maxId":1}"#))
        #expect(await call(registry, "DELETE", "/subjects/s").status == 200)
        #expect(await call(registry, "DELETE", "/subjects/s", query: ["permanent": "true"]).status == 200)
        let gone = await call(registry, "GET", "/schemas/ids/1")
        #expect(gone.status == 404)
        #expect(gone.body.hasPrefix(#"{"error_code":40403,"#))
    }

    @Test func answersStillLoadingUntilReplayed() async {
        let registry = SchemaRegistry(store: MemorySchemasStore(), logger: Logger(label: "test"))
        let response = await RegistryRequestHandler(registry: registry).handle(method: "GET", rawPath: "/subjects", query: [:], body: [])
        #expect(response.status == 500)
        #expect(response.body.contains("50002"))
    }

    @Test(arguments: [
        ("POST", "/subjects/s/versions", "{", 400, 400),
        ("POST", "/subjects/s/versions", "[]", 422, 422),
        ("POST", "/subjects/s/versions", #"{"schema":"{\"type\":\"fixed\",\"name\":\"F\",\"size\":-1}"}"#, 422, 42201),
        ("POST", "/subjects/%01/versions", #"{"schema":"\"int\""}"#, 422, 42208),
        ("PUT", "/config", #"{"compatibility":3}"#, 422, 42203),
        ("PUT", "/mode", #"{}"#, 422, 42204),
        ("GET", "/subjects/none/versions/latest", "", 404, 40401),
    ])
    func errors(method: String, path: String, body: String, status: Int, code: Int) async throws {
        let response = await call(try await handler(MemorySchemasStore()), method, path, body)
        #expect(response.status == status)
        #expect(response.body.hasPrefix("{\"error_code\":\(code),\"message\":"))
    }

    @Test func guidIsTheMD5OfTextAndReferences() {
        let record = SchemaVersionRecord(subject: "s", version: 1, id: 1, schema: "\"int\"")
        // MD5("\"int\"") = ef524ea1b91e73173d938ade36c1db32
        #expect(SchemaRegistry.guid(of: record) == "ef524ea1-b91e-7317-3d93-8ade36c1db32")
    }
}
