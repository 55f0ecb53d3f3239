/// The messages Sluice serves, by spec file name (without `.json`): the generator writes these
/// and nothing else (DESIGN §2.2: only the APIs Sluice serves are generated).
public enum ServedMessages {
    public static let apis = [
        "ApiVersions", "Metadata", "Produce", "Fetch", "ListOffsets", "InitProducerId", "CreateTopics",
        "DeleteTopics", "CreatePartitions", "DescribeConfigs", "AlterConfigs", "IncrementalAlterConfigs",
        "OffsetForLeaderEpoch", "DeleteRecords", "DescribeCluster", "FindCoordinator", "JoinGroup",
        "SyncGroup", "Heartbeat", "LeaveGroup", "OffsetCommit", "OffsetFetch", "ListGroups",
        "DescribeGroups", "DeleteGroups", "OffsetDelete", "ConsumerGroupHeartbeat", "ConsumerGroupDescribe",
    ]

    /// Headers and data schemas.
    public static let others = ["RequestHeader", "ResponseHeader", "ConsumerProtocolSubscription", "ConsumerProtocolAssignment"]

    public static var files: [String] {
        apis.flatMap { ["\($0)Request", "\($0)Response"] } + others
    }
}
