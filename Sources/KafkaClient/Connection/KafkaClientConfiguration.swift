/// What every client (producer, consumer, admin) needs to reach a cluster. The defaults are
/// the Java client's.
public struct KafkaClientConfiguration: Sendable {
    /// `host:port` addresses to learn the cluster from (`bootstrap.servers`).
    public var bootstrapServers: [String]
    /// Sent in every request header (`client.id`).
    public var clientID: String = "sluice-client"
    /// How long a request may wait for its response (`request.timeout.ms`, 30 s).
    public var requestTimeout: Duration = .seconds(30)
    /// How long a TCP connect may take (`socket.connection.setup.timeout.ms`, 10 s).
    public var connectTimeout: Duration = .seconds(10)
    /// The first wait before reconnecting to a broker that failed (`reconnect.backoff.ms`).
    public var reconnectBackoff: Duration = .milliseconds(50)
    /// The longest wait between reconnects; the wait doubles up to it (`reconnect.backoff.max.ms`).
    public var reconnectBackoffMax: Duration = .seconds(1)
    /// The wait before retrying a request that failed with a retriable error (`retry.backoff.ms`).
    public var retryBackoff: Duration = .milliseconds(100)
    /// How long cached metadata is trusted before it is refreshed anyway (`metadata.max.age.ms`).
    public var metadataMaxAge: Duration = .seconds(300)
    /// Whether Metadata requests may create missing topics (`allow.auto.create.topics`).
    public var allowAutoTopicCreation: Bool = true
    /// The largest response frame accepted; a larger one closes the connection.
    public var maxResponseSize: Int = 256 << 20

    /// - Parameter bootstrapServers: `host:port` addresses, e.g. `["127.0.0.1:9092"]`.
    public init(bootstrapServers: [String]) {
        self.bootstrapServers = bootstrapServers
    }

    /// Parses a comma-separated `bootstrap.servers` value.
    public init(bootstrap: String) {
        self.init(bootstrapServers: bootstrap.split(separator: ",").map { String($0.filter { !$0.isWhitespace }) })
    }

    func bootstrapAddresses() throws(KafkaClientError) -> [BrokerAddress] {
        guard !bootstrapServers.isEmpty else { throw .invalidArgument("no bootstrap servers") }
        var addresses: [BrokerAddress] = []
        for server in bootstrapServers { addresses.append(try BrokerAddress(parsing: server)) }
        return addresses
    }
}
