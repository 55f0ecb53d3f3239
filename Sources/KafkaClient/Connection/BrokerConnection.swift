import KafkaProtocol
import NIOCore
import NIOPosix
import Synchronization

/// A broker's host and port, and its node id once metadata has named it (-1 for a bootstrap
/// address).
public struct BrokerAddress: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var nodeID: Int32

    public init(host: String, port: Int, nodeID: Int32 = -1) {
        self.host = host
        self.port = port
        self.nodeID = nodeID
    }

    /// Parses `host:port` (an IPv6 host in brackets, `[::1]:9092`).
    public init(parsing text: String) throws(KafkaClientError) {
        var hostPart = Substring(text)
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            throw .invalidArgument("'\(text)' is not host:port")
        }
        hostPart = text[..<colon]
        if hostPart.hasPrefix("["), hostPart.hasSuffix("]") { hostPart = hostPart.dropFirst().dropLast() }
        guard !hostPart.isEmpty else { throw .invalidArgument("'\(text)' has no host") }
        self.init(host: String(hostPart), port: port)
    }

    public var description: String { nodeID >= 0 ? "broker \(nodeID) (\(host):\(port))" : "\(host):\(port)" }
}

/// One TCP connection to one broker: requests are framed here and pipelined (any number in
/// flight, matched by correlation id); the versions of each API are negotiated once with
/// ApiVersions, the highest both sides support.
final class BrokerConnection: Sendable {
    let address: BrokerAddress
    private let channel: Channel
    private let clientID: String
    private let requestTimeout: Duration
    private let correlationIDs = Atomic<Int32>(0)
    private let versions = Mutex<[Int16: ClosedRange<Int16>]>([:])
    private let frames = FramePool()

    private init(address: BrokerAddress, channel: Channel, clientID: String, requestTimeout: Duration) {
        self.address = address
        self.channel = channel
        self.clientID = clientID
        self.requestTimeout = requestTimeout
    }

    /// Connects and negotiates API versions.
    static func connect(to address: BrokerAddress, group: EventLoopGroup, configuration: KafkaClientConfiguration) async throws -> BrokerConnection {
        let maxFrame = configuration.maxResponseSize
        let peer = address.description
        let channel: Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.nanoseconds(Int64(configuration.connectTimeout.nanoseconds)))
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                // Reads grow to 1 MiB while a socket keeps them full (fetch responses of
                // megabytes), so they take fewer syscalls and fewer gathers.
                .channelOption(ChannelOptions.recvAllocator,
                               value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 16 * 1024, maximum: 1 << 20))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ResponseFrameDecoder(maxFrameSize: maxFrame))
                        try channel.pipeline.syncOperations.addHandler(ResponseMatcher(peer: peer))
                    }
                }
                .connect(host: address.host, port: address.port).get()
        } catch {
            throw KafkaClientError.connection("cannot connect to \(address): \(error)")
        }
        let connection = BrokerConnection(address: address, channel: channel, clientID: configuration.clientID, requestTimeout: configuration.requestTimeout)
        do {
            try await connection.negotiateVersions()
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    var isActive: Bool { channel.isActive }

    func close() {
        channel.close(promise: nil)
    }

    /// The version of `R` to send: the highest in both this client's and the broker's range.
    func version<R: ClientRequest>(for request: R.Type) throws(KafkaClientError) -> Int16 {
        let ours = R.clientVersions.clamped(to: R.validVersions)
        guard let theirs = versions.withLock({ $0[R.apiKey] }) else {
            throw .unsupportedVersion("\(address) does not offer \(R.self) (API key \(R.apiKey))")
        }
        let common = ours.clamped(to: theirs)
        guard ours.overlaps(theirs), common.lowerBound <= common.upperBound else {
            throw .unsupportedVersion("\(R.self): \(address) offers versions \(theirs), this client \(ours)")
        }
        return common.upperBound
    }

    /// Whether the broker offers the API at all.
    func supports<R: ClientRequest>(_ request: R.Type) -> Bool {
        (try? version(for: request)) != nil
    }

    /// Sends a request and decodes its response.
    func send<R: ClientRequest>(_ request: R, version: Int16? = nil, timeout: Duration? = nil) async throws -> R.Response {
        let inFlight = try start(request, version: version, timeout: timeout)
        return try await inFlight.response()
    }

    /// Sends a request the broker does not answer (Produce with acks=0); returns once written.
    func sendWithoutResponse<R: ClientRequest>(_ request: R, version: Int16? = nil) async throws {
        let inFlight = try start(request, version: version, expectResponse: false)
        do { try await inFlight.written.get() } catch { throw KafkaClientError.connection("\(address): \(error)") }
    }

    /// A request written to the connection (in call order: the producer relies on it to keep
    /// sequence numbers in order) whose response is awaited later.
    struct InFlight<R: ClientRequest>: Sendable {
        let written: EventLoopFuture<Void>
        let body: EventLoopFuture<ByteBuffer>?
        let version: Int16
        let address: BrokerAddress

        func response() async throws -> R.Response {
            guard let body else { throw KafkaClientError.invalidArgument("\(R.self) expects no response") }
            var bytes = try await body.get()
            do {
                if R.responseHeaderVersion(version) >= 1 {
                    _ = try bytes.readKafkaTaggedFields("ResponseHeader") { _, _ in false }
                }
                return try R.Response(from: &bytes, version: version)
            } catch {
                throw KafkaClientError.protocolViolation("\(R.Response.self) v\(version) from \(address): \(error)")
            }
        }
    }

    /// Encodes and writes a request now; the response is awaited with `InFlight.response()`.
    func start<R: ClientRequest>(_ request: R, version: Int16? = nil, timeout: Duration? = nil, expectResponse: Bool = true) throws -> InFlight<R> {
        let version = try version ?? self.version(for: R.self)
        let timeout = timeout ?? requestTimeout
        let correlationID = correlationIDs.wrappingAdd(1, ordering: .relaxed).newValue & 0x7fff_ffff
        var frame = frames.frame(capacity: request.encodedSizeHint, allocator: channel.allocator)
        frame.writeInteger(Int32(0))
        var header = RequestHeader()
        header.requestApiKey = R.apiKey
        header.requestApiVersion = version
        header.correlationID = correlationID
        header.clientID = clientID
        do {
            try header.encode(into: &frame, version: R.requestHeaderVersion(version))
            try request.encode(into: &frame, version: version)
        } catch {
            throw KafkaClientError.invalidArgument("\(R.self) v\(version) cannot be encoded: \(error)")
        }
        frame.setInteger(Int32(frame.readableBytes - 4), at: frame.readerIndex)

        let eventLoop = channel.eventLoop
        let written = eventLoop.makePromise(of: Void.self)
        if frame.capacity >= FramePool.pooledCapacity {
            let pooled = FramePool.Written(frame, pool: frames)
            written.futureResult.whenComplete { _ in pooled.recycle() }
        }
        guard expectResponse else {
            channel.writeAndFlush(OutgoingRequest(correlationID: correlationID, frame: frame, response: nil), promise: written)
            return InFlight(written: written.futureResult, body: nil, version: version, address: address)
        }
        let response = eventLoop.makePromise(of: ByteBuffer.self)
        let channel = self.channel
        let what = "\(R.self) v\(version) to \(address) after \(timeout)"
        // A request without an answer in time closes the connection, as Kafka's clients do:
        // the broker may still answer it, and a reused connection would then be out of step.
        let timer = eventLoop.scheduleTask(in: .nanoseconds(Int64(timeout.nanoseconds))) {
            response.fail(KafkaClientError.timedOut(what))
            channel.close(promise: nil)
        }
        response.futureResult.whenComplete { _ in timer.cancel() }
        written.futureResult.whenFailure { error in response.fail(KafkaClientError.connection("\(what): \(error)")) }
        channel.writeAndFlush(OutgoingRequest(correlationID: correlationID, frame: frame, response: response), promise: written)
        return InFlight(written: written.futureResult, body: response.futureResult, version: version, address: address)
    }

    private func negotiateVersions() async throws {
        var request = ApiVersionsRequest()
        request.clientSoftwareName = "sluice-kafka-client"
        request.clientSoftwareVersion = "1.0"
        var response = try await send(request, version: 3)
        if response.errorCode == KafkaErrorCode.unsupportedVersion.rawValue {
            response = try await send(ApiVersionsRequest(), version: 0)
        }
        try KafkaClientError.check(response.errorCode, "ApiVersions from \(address)")
        var table: [Int16: ClosedRange<Int16>] = [:]
        for key in response.apiKeys where key.minVersion <= key.maxVersion {
            table[key.apiKey] = key.minVersion...key.maxVersion
        }
        versions.withLock { $0 = table }
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : product + attoseconds / 1_000_000_000
    }

    var milliseconds: Int64 { nanoseconds / 1_000_000 }
}
