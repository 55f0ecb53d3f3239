import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP exchange with the registry. The client builds the request (URL, auth, body) and
/// decides about retries; a transport only carries it. Tests put a fake here.
public protocol RegistryTransport: Sendable {
    /// - Throws: only for a failure to exchange (connection refused, timeout); any HTTP answer,
    ///   error statuses included, is returned.
    func send(_ request: RegistryHTTPRequest) async throws -> RegistryHTTPResponse
}

public struct RegistryHTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?

    public init(method: String, url: String, headers: [(name: String, value: String)], body: [UInt8]?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct RegistryHTTPResponse: Sendable {
    public var status: Int
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// The process-wide HTTP client of the registry clients. Unlike `HTTPClient.shared` it does not
/// retry a refused connection inside the request (the pool would keep trying until the deadline,
/// so a registry that is down took 30 s to report): ``SchemaRegistryClient`` retries itself,
/// with backoff and the next URL. Never shut down, like the shared client.
let registryHTTPClient: HTTPClient = {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool.retryConnectionEstablishment = false
    configuration.timeout.connect = .seconds(5)
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()

/// The transport over async-http-client (one client by default: its event loops and
/// connection pool serve every registry client in the process).
public struct AsyncHTTPRegistryTransport: RegistryTransport {
    public let client: HTTPClient
    public let timeout: TimeAmount
    /// Answers larger than this are refused (a schema must fit in a Kafka record anyway).
    public let maxResponseBytes: Int

    public init(client: HTTPClient? = nil, timeout: TimeAmount = .seconds(30), maxResponseBytes: Int = 64 << 20) {
        self.client = client ?? registryHTTPClient
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    public func send(_ request: RegistryHTTPRequest) async throws -> RegistryHTTPResponse {
        var http = HTTPClientRequest(url: request.url)
        http.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { http.headers.add(name: header.name, value: header.value) }
        if let body = request.body { http.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(http, timeout: timeout)
        let body = try await response.body.collect(upTo: maxResponseBytes)
        return RegistryHTTPResponse(status: Int(response.status.code), body: Array(body.readableBytesView))
    }
}

/// How the client authenticates.
public enum RegistryAuthentication: Sendable, Equatable {
    case none
    /// HTTP basic (`basic.auth.user.info` = `user:password` in Confluent's clients).
    case basic(user: String, password: String)
    /// `Authorization: Bearer <token>`.
    case bearer(token: String)

    var header: (name: String, value: String)? {
        switch self {
        case .none: return nil
        case .basic(let user, let password): return ("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        case .bearer(let token): return ("Authorization", "Bearer " + token)
        }
    }
}

/// Retries with exponential backoff and full jitter, as Confluent's clients do: on the statuses
/// that mean "try again" (408, 429, 500, 502, 503, 504) and on failures to connect.
public struct RegistryRetryPolicy: Sendable {
    /// Attempts after the first.
    public var maxRetries: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration

    public init(maxRetries: Int = 3, initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(5)) {
        self.maxRetries = maxRetries
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    public static let retriedStatuses: Set<Int> = [408, 429, 500, 502, 503, 504]

    /// The wait before retry `attempt` (1 for the first retry): a random time up to
    /// `initialBackoff * 2^(attempt-1)`, capped at `maxBackoff`.
    public func backoff(attempt: Int, random: Double) -> Duration {
        let ceiling = min(initialBackoff * (1 << min(attempt - 1, 20)), maxBackoff)
        return ceiling * max(0, min(1, random))
    }
}
