import BrokerCore
import Foundation
import GroupCoordination
import KafkaProtocol
import Logging
import LogStore
import NIOCore
import Synchronization

/// The broker's state shared by every connection: topics and logs, idempotent-producer state,
/// and the fetches waiting for data. Handlers (one file per API in `Handlers/`) are methods on it.
public final class Broker: Sendable {
    public let topics: TopicManager
    public let configuration: BrokerConfiguration
    let logger: Logger
    let appendLanes = AppendLanes()
    let fetchWaiters = FetchWaiters()
    let groups: GroupCoordinator
    /// The registered schemas that topics with schema validation check records against (the
    /// node's view of the registry; nil: no registry, validating topics refuse framed records).
    let schemaCatalog: (any SchemaCatalog)?

    public init(topics: TopicManager, configuration: BrokerConfiguration, logger: Logger, schemaCatalog: (any SchemaCatalog)? = nil) {
        self.topics = topics
        self.configuration = configuration
        self.logger = logger
        self.schemaCatalog = schemaCatalog
        self.groups = GroupCoordinator(
            offsetsLog: ConsumerOffsetsLog(topics: topics, partitionCount: configuration.offsetsTopicPartitions),
            configuration: configuration.groups, consumerConfiguration: configuration.consumerGroups, logger: logger)
    }

    /// Rebuilds idempotent-producer state, opens the internal topics and replays
    /// `__consumer_offsets`; call once the logs are loaded.
    public func load() throws {
        let batches = try recoverProducerStates()
        logger.info("idempotent producer state recovered", metadata: ["batches": "\(batches)"])
        try groups.load()
        startGroupMaintenance()
    }

    /// Every API served, with the versions advertised (kafka-apis notes §3).
    func endpoints() -> [APIEndpoint] {
        [
            .make("ApiVersions", ApiVersionsRequest.self, ApiVersionsResponse.self, advertised: 0...4) { [self] request, context in
                context.eventLoop.makeSucceededFuture(apiVersions(request, context))
            },
            .make("Metadata", MetadataRequest.self, MetadataResponse.self, advertised: 0...12) { [self] request, context in
                context.eventLoop.makeSucceededFuture(metadata(request, context))
            },
            // 0 is listed so that librdkafka < 2.12 (kcat) keeps compression and idempotence;
            // versions below 3 are answered with UNSUPPORTED_VERSION (DESIGN §2.1).
            .make("Produce", ProduceRequest.self, ProduceResponse.self, advertised: 0...11) { [self] request, context in
                produce(request, context)
            },
            .makeFetch(advertised: 4...12) { [self] request, context in
                fetch(request, context)
            },
            .make("ListOffsets", ListOffsetsRequest.self, ListOffsetsResponse.self, advertised: 1...7) { [self] request, context in
                context.eventLoop.makeSucceededFuture(listOffsets(request, context))
            },
            .make("InitProducerId", InitProducerIDRequest.self, InitProducerIDResponse.self, advertised: 0...5) { [self] request, context in
                context.eventLoop.makeSucceededFuture(initProducerID(request, context))
            },
            .make("CreateTopics", CreateTopicsRequest.self, CreateTopicsResponse.self, advertised: 2...7) { [self] request, context in
                context.eventLoop.makeSucceededFuture(createTopics(request, context))
            },
            .make("DeleteTopics", DeleteTopicsRequest.self, DeleteTopicsResponse.self, advertised: 1...6) { [self] request, context in
                context.eventLoop.makeSucceededFuture(deleteTopics(request, context))
            },
            .make("CreatePartitions", CreatePartitionsRequest.self, CreatePartitionsResponse.self, advertised: 0...3) { [self] request, context in
                context.eventLoop.makeSucceededFuture(createPartitions(request, context))
            },
            .make("DescribeConfigs", DescribeConfigsRequest.self, DescribeConfigsResponse.self, advertised: 1...4) { [self] request, context in
                context.eventLoop.makeSucceededFuture(describeConfigs(request, context))
            },
            .make("AlterConfigs", AlterConfigsRequest.self, AlterConfigsResponse.self, advertised: 0...2) { [self] request, context in
                context.eventLoop.makeSucceededFuture(alterConfigs(request, context))
            },
            .make("IncrementalAlterConfigs", IncrementalAlterConfigsRequest.self, IncrementalAlterConfigsResponse.self, advertised: 0...1) { [self] request, context in
                context.eventLoop.makeSucceededFuture(incrementalAlterConfigs(request, context))
            },
            .make("OffsetForLeaderEpoch", OffsetForLeaderEpochRequest.self, OffsetForLeaderEpochResponse.self, advertised: 2...4) { [self] request, context in
                context.eventLoop.makeSucceededFuture(offsetForLeaderEpoch(request, context))
            },
            .make("DeleteRecords", DeleteRecordsRequest.self, DeleteRecordsResponse.self, advertised: 0...2) { [self] request, context in
                context.eventLoop.makeSucceededFuture(deleteRecords(request, context))
            },
            .make("DescribeCluster", DescribeClusterRequest.self, DescribeClusterResponse.self, advertised: 0...1) { [self] request, context in
                context.eventLoop.makeSucceededFuture(describeCluster(request, context))
            },
            .make("FindCoordinator", FindCoordinatorRequest.self, FindCoordinatorResponse.self, advertised: 0...4) { [self] request, context in
                context.eventLoop.makeSucceededFuture(findCoordinator(request, context))
            },
            // 0 stays listed: librdkafka < 2.12 enables groups only if JoinGroup 0 is in range.
            .make("JoinGroup", JoinGroupRequest.self, JoinGroupResponse.self, advertised: 0...9) { [self] request, context in
                joinGroup(request, context).map { $0 }
            },
            .make("SyncGroup", SyncGroupRequest.self, SyncGroupResponse.self, advertised: 0...5) { [self] request, context in
                syncGroup(request, context).map { $0 }
            },
            .make("Heartbeat", HeartbeatRequest.self, HeartbeatResponse.self, advertised: 0...4) { [self] request, context in
                context.eventLoop.makeSucceededFuture(heartbeat(request, context))
            },
            .make("LeaveGroup", LeaveGroupRequest.self, LeaveGroupResponse.self, advertised: 0...5) { [self] request, context in
                context.eventLoop.makeSucceededFuture(leaveGroup(request, context))
            },
            .make("OffsetCommit", OffsetCommitRequest.self, OffsetCommitResponse.self, advertised: 2...9) { [self] request, context in
                context.eventLoop.makeSucceededFuture(offsetCommit(request, context))
            },
            .make("OffsetFetch", OffsetFetchRequest.self, OffsetFetchResponse.self, advertised: 1...9) { [self] request, context in
                context.eventLoop.makeSucceededFuture(offsetFetch(request, context))
            },
            .make("ListGroups", ListGroupsRequest.self, ListGroupsResponse.self, advertised: 0...5) { [self] request, context in
                context.eventLoop.makeSucceededFuture(listGroups(request, context))
            },
            .make("DescribeGroups", DescribeGroupsRequest.self, DescribeGroupsResponse.self, advertised: 0...5) { [self] request, context in
                context.eventLoop.makeSucceededFuture(describeGroups(request, context))
            },
            .make("DeleteGroups", DeleteGroupsRequest.self, DeleteGroupsResponse.self, advertised: 0...2) { [self] request, context in
                context.eventLoop.makeSucceededFuture(deleteGroups(request, context))
            },
            .make("OffsetDelete", OffsetDeleteRequest.self, OffsetDeleteResponse.self, advertised: 0...0) { [self] request, context in
                context.eventLoop.makeSucceededFuture(offsetDelete(request, context))
            },
            .make("ConsumerGroupHeartbeat", ConsumerGroupHeartbeatRequest.self, ConsumerGroupHeartbeatResponse.self, advertised: 0...1) { [self] request, context in
                context.eventLoop.makeSucceededFuture(consumerGroupHeartbeat(request, context))
            },
            .make("ConsumerGroupDescribe", ConsumerGroupDescribeRequest.self, ConsumerGroupDescribeResponse.self, advertised: 0...0) { [self] request, context in
                context.eventLoop.makeSucceededFuture(consumerGroupDescribe(request, context))
            },
        ]
    }

    static func apiVersionEntries(_ endpoints: [APIEndpoint]) -> [ApiVersionsResponse.ApiVersion] {
        endpoints.map { endpoint in
            var entry = ApiVersionsResponse.ApiVersion()
            entry.apiKey = endpoint.apiKey
            entry.minVersion = endpoint.advertised.lowerBound
            entry.maxVersion = endpoint.advertised.upperBound
            return entry
        }
    }

    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
