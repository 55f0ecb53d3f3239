/// The states of a classic consumer group, with the names Kafka reports in ListGroups and
/// DescribeGroups.
public enum GroupState: String, Sendable, CaseIterable {
    /// No members; committed offsets may remain.
    case empty = "Empty"
    /// A rebalance started: the coordinator waits for every known member to rejoin.
    case preparingRebalance = "PreparingRebalance"
    /// Everyone rejoined; the coordinator waits for the leader's assignment in SyncGroup.
    case completingRebalance = "CompletingRebalance"
    /// Members have their assignments and heartbeat.
    case stable = "Stable"
    /// The group was deleted or moved away; nothing is served from it.
    case dead = "Dead"
}

/// Kafka error codes a group answers with (the subset the classic protocol uses).
public enum GroupErrorCode: Int16, Sendable {
    case none = 0
    case coordinatorNotAvailable = 15
    case illegalGeneration = 22
    case inconsistentGroupProtocol = 23
    case unknownMemberID = 25
    case invalidSessionTimeout = 26
    case rebalanceInProgress = 27
    case memberIDRequired = 79
    case groupMaxSizeReached = 81
    case fencedInstanceID = 82
}

/// Coordinator settings that shape rebalances, with Kafka's broker property names and defaults.
public struct GroupConfiguration: Sendable, Equatable {
    /// `group.min.session.timeout.ms` (6000).
    public var minSessionTimeoutMs: Int32 = 6_000
    /// `group.max.session.timeout.ms` (1800000).
    public var maxSessionTimeoutMs: Int32 = 1_800_000
    /// `group.initial.rebalance.delay.ms` (3000): how long the first rebalance of an empty group
    /// waits for more members, extended by each join, up to the rebalance timeout.
    public var initialRebalanceDelayMs: Int64 = 3_000
    /// `group.max.size` (unbounded by default).
    public var maxSize: Int = .max

    public init() {}
}
