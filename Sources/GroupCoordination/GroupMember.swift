/// One member of a classic group, as the coordinator tracks it.
public struct GroupMember: Sendable, Equatable {
    public var memberID: String
    /// `group.instance.id` of a static member; nil for a dynamic one.
    public var instanceID: String?
    public var clientID: String
    public var clientHost: String
    public var sessionTimeoutMs: Int32
    public var rebalanceTimeoutMs: Int32
    /// The member's supported protocols in its order of preference, with their metadata.
    public var protocols: [GroupProtocol]
    /// The assignment the leader gave this member in the last completed SyncGroup.
    public var assignment: [UInt8] = []

    /// The JoinGroup request this member is waiting on, if any (held until the join completes).
    var pendingJoin: PendingJoin?
    /// The SyncGroup request this member is waiting on, if any.
    var pendingSync: ResponseToken?
    /// When the member is considered gone unless it heartbeats or rejoins before.
    var sessionDeadline: Int64 = 0

    func metadata(for protocolName: String) -> [UInt8] {
        protocols.first { $0.name == protocolName }?.metadata ?? []
    }
}

/// A protocol a member supports (for consumers: an assignor such as "range" or
/// "cooperative-sticky") and the member's subscription metadata for it.
public struct GroupProtocol: Sendable, Equatable {
    public var name: String
    public var metadata: [UInt8]

    public init(name: String, metadata: [UInt8]) {
        self.name = name
        self.metadata = metadata
    }
}

/// Identifies a request whose response the coordinator may hold back; assigned by the caller.
public typealias ResponseToken = UInt64

struct PendingJoin: Sendable, Equatable {
    var token: ResponseToken
    var version: Int16
}
