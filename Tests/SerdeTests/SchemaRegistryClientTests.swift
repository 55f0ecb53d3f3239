import Foundation
import Serde
import Testing

@Suite("SchemaRegistryClient")
struct SchemaRegistryClientTests {
    static let userV1 = #"{"type":"record","name":"User","namespace":"shop","fields":[{"name":"id","type":"long"}]}"#

    func client(_ fake: FakeRegistry, urls: [String] = ["http://registry.test:8081/"], auth: RegistryAuthentication = .none,
                retries: Int = 3) -> SchemaRegistryClient {
        SchemaRegistryClient(configuration: .init(urls: urls, authentication: auth,
                                                  retry: .init(maxRetries: retries, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(2))),
                             transport: fake)
    }

    @Test("register and get by id are cached: one request each")
    func caches() async throws {
        let fake = FakeRegistry()
        let client = client(fake)
        let first = try await client.register(subject: "users-value", schema: Schema(Self.userV1))
        let again = try await client.register(subject: "users-value", schema: Schema(Self.userV1))
        #expect(first.id == 1 && again.id == 1 && first.version == 1)
        #expect(fake.requests.count == 1)
        // The registration filled the id cache too.
        let byID = try await client.schema(id: 1)
        #expect(byID.schema.text == Self.userV1)
        #expect(fake.requests.count == 1)
        // A fresh client asks once, then answers from its cache.
        let other = self.client(fake)
        _ = try await other.schema(id: 1)
        _ = try await other.schema(id: 1)
        #expect(fake.requests.count == 2)
        #expect(fake.requests.last?.url == "http://registry.test:8081/schemas/ids/1")
    }

    @Test("subjects are percent-encoded in paths")
    func encoding() async throws {
        let fake = FakeRegistry()
        _ = try await client(fake).register(subject: "a/b c", schema: Schema(Self.userV1))
        #expect(fake.requests.first?.url.hasPrefix("http://registry.test:8081/subjects/a%2Fb%20c/versions") == true)
    }

    @Test("5xx and connection failures are retried, other errors are not", arguments: [
        [FakeRegistry.Failure.status(503, body: "busy")],
        [.connectionRefused, .connectionRefused],
        [.status(500, body: #"{"error_code":50002,"message":"still reading _schemas"}"#), .status(429, body: "")],
    ])
    func retries(_ failures: [FakeRegistry.Failure]) async throws {
        let fake = FakeRegistry()
        for failure in failures { fake.failNext(failure) }
        let registered = try await client(fake).register(subject: "s", schema: Schema(Self.userV1))
        #expect(registered.id == 1)
        #expect(fake.requests.count == failures.count + 1)
    }

    @Test("after the retries the last error is reported with its error_code")
    func exhausted() async throws {
        let fake = FakeRegistry()
        for _ in 0..<3 { fake.failNext(.status(500, body: #"{"error_code":50002,"message":"still reading _schemas"}"#)) }
        await #expect(throws: SchemaRegistryError.registry(httpStatus: 500, errorCode: 50002, message: "still reading _schemas",
                                                            request: "GET /subjects?deleted=false")) {
            try await client(fake, retries: 2).subjects()
        }
        #expect(fake.requests.count == 3)
    }

    @Test("a registry error is not retried and keeps error_code and message")
    func registryError() async throws {
        let fake = FakeRegistry()
        do {
            _ = try await client(fake).latestVersion(subject: "missing")
            Issue.record("no error")
        } catch {
            #expect(error.errorCode == 40401)
            #expect(error.httpStatus == 404)
            #expect(error.message == "Subject 'missing' not found.")
        }
        #expect(fake.requests.count == 1)
    }

    @Test("a non-JSON error body gives error_code -1")
    func nonJSONError() async throws {
        let fake = FakeRegistry()
        fake.failNext(.status(401, body: "Unauthorized"))
        do {
            _ = try await client(fake).subjects()
            Issue.record("no error")
        } catch {
            #expect(error.errorCode == -1 && error.httpStatus == 401)
            #expect(error.description.contains("Unauthorized"))
        }
    }

    @Test("a URL that does not answer hands over to the next")
    func failover() async throws {
        let fake = FakeRegistry()
        fake.failNext(.connectionRefused)
        let subjects = try await client(fake, urls: ["http://a.test:1,http://b.test:2"]).subjects()
        #expect(subjects.isEmpty)
        #expect(fake.requests.map(\.url) == ["http://a.test:1/subjects?deleted=false", "http://b.test:2/subjects?deleted=false"])
    }

    @Test("no answer at all is 'unreachable' with the attempt count")
    func unreachable() async throws {
        let fake = FakeRegistry()
        for _ in 0..<4 { fake.failNext(.connectionRefused) }
        do {
            _ = try await client(fake, urls: ["http://a.test,http://b.test"], retries: 1).subjects()
            Issue.record("no error")
        } catch {
            guard case .unreachable(_, let attempts, let reason) = error else { Issue.record("\(error)"); return }
            #expect(attempts == 4) // two URLs, two rounds
            #expect(reason.contains("connection refused"))
        }
    }

    @Test("authentication headers", arguments: [
        (RegistryAuthentication.basic(user: "alice", password: "s3cret"), "Basic YWxpY2U6czNjcmV0"),
        (.bearer(token: "tok.en"), "Bearer tok.en"),
    ])
    func authentication(_ auth: RegistryAuthentication, _ header: String) async throws {
        let fake = FakeRegistry()
        _ = try await client(fake, auth: auth).subjects()
        #expect(fake.requests.first?.headers["Authorization"] == header)
        #expect(fake.requests.first?.headers["Accept"]?.hasPrefix("application/vnd.schemaregistry.v1+json") == true)
    }

    @Test("the latest version is cached for its TTL")
    func latestTTL() async throws {
        let fake = FakeRegistry()
        let cached = client(fake)
        _ = try await cached.register(subject: "s", schema: Schema(Self.userV1))
        _ = try await cached.latestVersion(subject: "s")
        _ = try await cached.latestVersion(subject: "s")
        #expect(fake.requests.count == 2)
        let expiring = SchemaRegistryClient(configuration: .init(urls: ["http://r.test"], latestCacheTTL: .zero), transport: fake)
        _ = try await expiring.latestVersion(subject: "s")
        _ = try await expiring.latestVersion(subject: "s")
        #expect(fake.requests.count == 4)
    }

    @Test("the backoff grows and stays under its cap", arguments: [(1, 100), (2, 200), (3, 400), (10, 1000)])
    func backoff(_ attempt: Int, _ ceilingMilliseconds: Int) {
        let policy = RegistryRetryPolicy(maxRetries: 10, initialBackoff: .milliseconds(100), maxBackoff: .seconds(1))
        #expect(policy.backoff(attempt: attempt, random: 1) == .milliseconds(ceilingMilliseconds))
        #expect(policy.backoff(attempt: attempt, random: 0) == .zero)
    }
}
