/// A member of a KIP-848 consumer group.
public struct ConsumerGroupMember: Sendable, Equatable {
    public var memberID: String
    public var instanceID: String?
    public var rackID: String?
    public var clientID: String
    public var clientHost: String
    public var subscribedTopics: [String]
    /// The server assignor the member asked for, if any.
    public var serverAssignor: String?
    public var rebalanceTimeoutMs: Int32
    /// The epoch of the assignment the member has reached; a heartbeat must carry it.
    public var memberEpoch: Int32
    /// The epoch before the last bump: a member that lost the response may still send it.
    public var previousMemberEpoch: Int32
    /// Partitions the member may consume now (given to it and not being revoked).
    public var assigned: Set<TopicPartition>
    /// Partitions the member still owns but must give up; no one else gets them until it
    /// confirms (a heartbeat whose owned partitions no longer include them).
    public var revoking: Set<TopicPartition>
    /// What the last response told the member, so an unchanged assignment is not resent.
    var lastSentAssignment: Set<TopicPartition>?
    var sessionDeadline: Int64

    /// Everything the member still owns.
    public var owned: Set<TopicPartition> { assigned.union(revoking) }
}

/// The input of one ConsumerGroupHeartbeat, with the wire's "null: unchanged" fields as nils.
public struct ConsumerGroupHeartbeatInput: Sendable, Equatable {
    public var memberID: String
    public var memberEpoch: Int32
    public var instanceID: String?
    public var rackID: String?
    /// -1 when unchanged.
    public var rebalanceTimeoutMs: Int32
    public var subscribedTopics: [String]?
    public var serverAssignor: String?
    /// The partitions the member owns, when it says (joins and full heartbeats).
    public var ownedPartitions: Set<TopicPartition>?
    public var clientID: String
    public var clientHost: String

    public init(memberID: String, memberEpoch: Int32, instanceID: String? = nil, rackID: String? = nil,
                rebalanceTimeoutMs: Int32 = -1, subscribedTopics: [String]? = nil, serverAssignor: String? = nil,
                ownedPartitions: Set<TopicPartition>? = nil, clientID: String = "", clientHost: String = "") {
        self.memberID = memberID
        self.memberEpoch = memberEpoch
        self.instanceID = instanceID
        self.rackID = rackID
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.subscribedTopics = subscribedTopics
        self.serverAssignor = serverAssignor
        self.ownedPartitions = ownedPartitions
        self.clientID = clientID
        self.clientHost = clientHost
    }
}

/// What a heartbeat is answered with.
public struct ConsumerGroupHeartbeatOutcome: Sendable, Equatable {
    public var error: ConsumerGroupError?
    public var errorMessage: String?
    public var memberID: String
    public var memberEpoch: Int32
    /// nil when unchanged since the last response.
    public var assignment: Set<TopicPartition>?

    public init(error: ConsumerGroupError? = nil, errorMessage: String? = nil, memberID: String, memberEpoch: Int32,
                assignment: Set<TopicPartition>? = nil) {
        self.error = error
        self.errorMessage = errorMessage
        self.memberID = memberID
        self.memberEpoch = memberEpoch
        self.assignment = assignment
    }
}

/// Kafka's error codes of the consumer group protocol.
public enum ConsumerGroupError: Int16, Sendable, Error {
    case inconsistentGroupProtocol = 23
    case unknownMemberID = 25
    case invalidRequest = 42
    case groupMaxSizeReached = 81
    case fencedMemberEpoch = 110
    case unreleasedInstanceID = 111
    case unsupportedAssignor = 112
    case staleMemberEpoch = 113
}

/// KIP-848 group states, as ListGroups and ConsumerGroupDescribe name them.
public enum ConsumerGroupState: String, Sendable {
    case empty = "Empty"
    case assigning = "Assigning"
    case reconciling = "Reconciling"
    case stable = "Stable"
    case dead = "Dead"
}

/// Coordinator settings of the consumer group protocol, with Kafka's names and defaults.
public struct ConsumerGroupConfiguration: Sendable, Equatable {
    /// `group.consumer.session.timeout.ms` (45000).
    public var sessionTimeoutMs: Int32 = 45_000
    /// `group.consumer.heartbeat.interval.ms` (5000).
    public var heartbeatIntervalMs: Int32 = 5_000
    /// `group.consumer.max.size` (unbounded).
    public var maxSize: Int = .max

    public init() {}
}
