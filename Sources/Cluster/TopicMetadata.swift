/// A topic as the cluster knows it: id, partitions with their leaders, and config overrides.
public struct TopicMetadata: Sendable, Equatable, Codable {
    public var name: String
    /// Kafka's 16-byte topic id, as 32 lowercase hex digits (Metadata v10+ carries the bytes).
    public var topicID: String
    public var partitions: [PartitionMetadata]
    /// Topic-level config overrides (Kafka names: `retention.ms`, `cleanup.policy`, ...); the
    /// broker defaults apply to everything not listed.
    public var configs: [String: String]

    public init(name: String, topicID: String, partitions: [PartitionMetadata], configs: [String: String]) {
        self.name = name
        self.topicID = topicID
        self.partitions = partitions
        self.configs = configs
    }

    /// The topic id's 16 bytes.
    public var topicIDBytes: [UInt8] {
        var bytes: [UInt8] = []
        var index = topicID.startIndex
        while index < topicID.endIndex, let next = topicID.index(index, offsetBy: 2, limitedBy: topicID.endIndex) {
            bytes.append(UInt8(topicID[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes.count == 16 ? bytes : [UInt8](repeating: 0, count: 16)
    }
}

/// One partition's placement: its leader, replicas and in-sync replicas, and the leader epoch
/// clients use to detect stale metadata and truncation.
public struct PartitionMetadata: Sendable, Equatable, Codable {
    public var index: Int32
    public var leader: Int32
    public var leaderEpoch: Int32
    public var replicas: [Int32]
    public var inSyncReplicas: [Int32]

    public init(index: Int32, leader: Int32, leaderEpoch: Int32, replicas: [Int32], inSyncReplicas: [Int32]) {
        self.index = index
        self.leader = leader
        self.leaderEpoch = leaderEpoch
        self.replicas = replicas
        self.inSyncReplicas = inSyncReplicas
    }
}

/// A broker as clients are told of it.
public struct BrokerInfo: Sendable, Equatable, Codable {
    public var nodeID: Int32
    public var host: String
    public var port: Int32
    public var rack: String?

    public init(nodeID: Int32, host: String, port: Int32, rack: String? = nil) {
        self.nodeID = nodeID
        self.host = host
        self.port = port
        self.rack = rack
    }
}

/// Why a metadata change was refused, with the Kafka error code the request gets and a message
/// that says what was wrong.
public struct MetadataError: Error, Equatable, CustomStringConvertible, Sendable {
    public var code: Int16
    public var message: String

    public init(code: Int16, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func unknownTopic(_ name: String) -> MetadataError {
        MetadataError(code: 3, message: "topic '\(name)' does not exist")
    }
}
