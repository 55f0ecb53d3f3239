import KafkaProtocol
import NIOCore
import NIOPosix

/// The client's view of a cluster: one connection per broker (made on first use, remade with
/// backoff after a failure), the metadata cache, refreshed when it is old or when a broker
/// says it is stale, and the group coordinators found so far. Producer, consumer and admin
/// client each own one.
actor KafkaCluster {
    let configuration: KafkaClientConfiguration
    private let group: EventLoopGroup
    private let bootstrap: [BrokerAddress]
    private(set) var metadata = ClusterMetadata()
    private var lastRefresh: ContinuousClock.Instant?
    private var refreshing: Task<ClusterMetadata, Error>?
    private var interestingTopics: Set<String> = []
    private var connections: [BrokerAddress: BrokerConnection] = [:]
    private var connecting: [BrokerAddress: Task<BrokerConnection, Error>] = [:]
    private var failures: [BrokerAddress: (count: Int, retryAt: ContinuousClock.Instant)] = [:]
    private var coordinators: [String: Int32] = [:]
    private var closed = false

    init(configuration: KafkaClientConfiguration, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws(KafkaClientError) {
        self.configuration = configuration
        self.group = group
        self.bootstrap = try configuration.bootstrapAddresses()
    }

    // MARK: Connections

    /// The connection to a broker named in the metadata.
    func connection(to nodeID: Int32) async throws -> BrokerConnection {
        if metadata.brokers[nodeID] == nil { _ = try await refreshMetadata() }
        guard let address = metadata.brokers[nodeID] else {
            throw KafkaClientError.connection("broker \(nodeID) is not in the cluster's metadata")
        }
        return try await connection(to: address)
    }

    /// A connection to any broker: one already open, else a known broker, else a bootstrap one.
    func anyConnection() async throws -> BrokerConnection {
        if let open = connections.values.first(where: \.isActive) { return open }
        var lastError: Error = KafkaClientError.connection("no broker reachable")
        for address in Array(metadata.brokers.values) + bootstrap {
            do { return try await connection(to: address) } catch { lastError = error }
        }
        throw lastError
    }

    func connection(to address: BrokerAddress) async throws -> BrokerConnection {
        guard !closed else { throw KafkaClientError.closed("the client is closed") }
        if let open = connections[address], open.isActive { return open }
        if let pending = connecting[address] { return try await pending.value }
        let task = Task { [configuration, group] in
            if let failure = self.failures[address] {
                try await Task.sleep(until: failure.retryAt, clock: .continuous)
            }
            return try await BrokerConnection.connect(to: address, group: group, configuration: configuration)
        }
        connecting[address] = task
        defer { connecting[address] = nil }
        do {
            let connection = try await task.value
            connections[address] = connection
            failures[address] = nil
            if closed { connection.close() }
            return connection
        } catch {
            let count = (failures[address]?.count ?? 0) + 1
            let base = configuration.reconnectBackoff.nanoseconds
            let wait = min(configuration.reconnectBackoffMax.nanoseconds, base << min(count - 1, 20))
            failures[address] = (count, .now + .nanoseconds(wait))
            throw error
        }
    }

    // MARK: Metadata

    /// Fetches metadata for the topics of interest (nil asks for every topic) and caches it.
    @discardableResult
    func refreshMetadata(topics: [String]? = nil, all: Bool = false) async throws -> ClusterMetadata {
        if let topics { interestingTopics.formUnion(topics) }
        if let refreshing { return try await refreshing.value }
        let names = all ? nil : Array(interestingTopics).sorted()
        let allowCreate = configuration.allowAutoTopicCreation
        let task = Task {
            let connection = try await self.anyConnection()
            var request = MetadataRequest()
            request.topics = names.map { $0.map { var topic = MetadataRequest.MetadataRequestTopic(); topic.name = $0; return topic } }
            request.allowAutoTopicCreation = allowCreate
            return ClusterMetadata(try await connection.send(request), merging: await self.metadata, allTopics: names == nil)
        }
        refreshing = task
        defer { refreshing = nil }
        let fresh = try await task.value
        metadata = fresh
        lastRefresh = .now
        return fresh
    }

    /// A topic's metadata, refreshed when unknown, old or without leaders; waits (up to the
    /// request timeout) for a topic being created to get leaders.
    func topic(_ name: String) async throws -> TopicMetadata {
        let deadline = ContinuousClock.now + configuration.requestTimeout
        var refreshed = false
        while true {
            let stale = lastRefresh.map { ContinuousClock.now - $0 > configuration.metadataMaxAge } ?? true
            if let topic = metadata.topics[name], topic.error == .none, !topic.partitions.isEmpty,
               topic.partitions.allSatisfy({ $0.leader >= 0 }), !stale || refreshed {
                return topic
            }
            if refreshed && ContinuousClock.now >= deadline {
                if let topic = metadata.topics[name], topic.error != .none {
                    throw KafkaClientError.broker(topic.error, "metadata of topic '\(name)'")
                }
                throw KafkaClientError.broker(.unknownTopicOrPartition, "metadata of topic '\(name)'")
            }
            if refreshed { try await Task.sleep(for: configuration.retryBackoff) }
            try await refreshMetadata(topics: [name])
            refreshed = true
            if metadata.topics[name] == nil && !configuration.allowAutoTopicCreation {
                throw KafkaClientError.broker(.unknownTopicOrPartition, "metadata of topic '\(name)'")
            }
        }
    }

    /// Forgets the cached leaders so the next use refreshes them (after NOT_LEADER and kin).
    func invalidateMetadata() {
        lastRefresh = nil
    }

    // MARK: Coordinators

    /// The connection to a consumer group's coordinator (FindCoordinator, cached).
    func coordinator(for groupID: String) async throws -> BrokerConnection {
        if let node = coordinators[groupID], let connection = try? await connection(to: node) { return connection }
        return try await withRetries("FindCoordinator for group '\(groupID)'") {
            var request = FindCoordinatorRequest()
            request.key = groupID
            request.keyType = 0
            let response = try await self.anyConnection().send(request)
            try KafkaClientError.check(response.errorCode, "FindCoordinator for group '\(groupID)'")
            let address = BrokerAddress(host: response.host, port: Int(response.port), nodeID: response.nodeID)
            await self.record(coordinator: address, for: groupID)
            return try await self.connection(to: address)
        }
    }

    private func record(coordinator address: BrokerAddress, for groupID: String) {
        coordinators[groupID] = address.nodeID
        if metadata.brokers[address.nodeID] == nil { metadata.brokers[address.nodeID] = address }
    }

    func invalidateCoordinator(for groupID: String) {
        coordinators[groupID] = nil
    }

    /// Runs `body` again after retriable errors (with `retryBackoff` between tries) until the
    /// request timeout has passed; a stale-metadata error refreshes the metadata first.
    func withRetries<T: Sendable>(_ what: String, _ body: @Sendable () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + configuration.requestTimeout
        while true {
            do {
                return try await body()
            } catch let error as KafkaClientError where error.isRetriable && ContinuousClock.now < deadline {
                if error.code?.invalidatesMetadata == true { invalidateMetadata() }
                if error.code == .notCoordinator || error.code == .coordinatorNotAvailable { coordinators.removeAll() }
                try await Task.sleep(for: configuration.retryBackoff)
            }
        }
    }

    /// Closes every connection; later calls fail with `.closed`.
    func close() {
        closed = true
        for connection in connections.values { connection.close() }
        connections.removeAll()
    }
}
