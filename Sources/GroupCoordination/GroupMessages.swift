/// A JoinGroup request in the coordinator's terms (all versions).
public struct JoinGroupInput: Sendable {
    public var token: ResponseToken
    public var version: Int16
    /// Empty on a member's first join.
    public var memberID: String
    public var instanceID: String?
    public var protocolType: String
    public var protocols: [GroupProtocol]
    public var sessionTimeoutMs: Int32
    /// Versions 0 have none; pass the session timeout then, as Kafka does.
    public var rebalanceTimeoutMs: Int32
    public var clientID: String
    public var clientHost: String
    /// The id to give the member if it is new; chosen by the caller (Kafka: `clientID-UUID`) so
    /// that this core stays free of randomness.
    public var newMemberID: String

    public init(
        token: ResponseToken, version: Int16, memberID: String, instanceID: String? = nil,
        protocolType: String, protocols: [GroupProtocol], sessionTimeoutMs: Int32,
        rebalanceTimeoutMs: Int32, clientID: String, clientHost: String, newMemberID: String
    ) {
        self.token = token
        self.version = version
        self.memberID = memberID
        self.instanceID = instanceID
        self.protocolType = protocolType
        self.protocols = protocols
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.clientID = clientID
        self.clientHost = clientHost
        self.newMemberID = newMemberID
    }

    /// MEMBER_ID_REQUIRED is used from JoinGroup v4; older clients may not handle it.
    var requiresKnownMemberID: Bool { version >= 4 && instanceID == nil }
}

/// A JoinGroup response in the coordinator's terms.
public struct JoinGroupOutcome: Sendable, Equatable {
    public var error: GroupErrorCode
    public var generationID: Int32 = -1
    public var protocolType: String?
    public var protocolName: String?
    public var leaderID: String = ""
    /// v9: the leader must not compute a new assignment (a static leader rejoined).
    public var skipAssignment = false
    public var memberID: String = ""
    /// Filled for the leader only: every member and its metadata for the chosen protocol.
    public var members: [JoinGroupMemberInfo] = []
}

/// A member as the leader sees it in its JoinGroup response.
public struct JoinGroupMemberInfo: Sendable, Equatable {
    public var memberID: String
    public var instanceID: String?
    public var metadata: [UInt8]
}

/// A SyncGroup request in the coordinator's terms.
public struct SyncGroupInput: Sendable {
    public var token: ResponseToken
    public var memberID: String
    public var instanceID: String?
    public var generationID: Int32
    /// v5+: checked against the group's when present.
    public var protocolType: String?
    public var protocolName: String?
    /// The leader's assignment per member id; empty from followers.
    public var assignments: [String: [UInt8]]

    public init(
        token: ResponseToken, memberID: String, instanceID: String? = nil, generationID: Int32,
        protocolType: String? = nil, protocolName: String? = nil, assignments: [String: [UInt8]] = [:]
    ) {
        self.token = token
        self.memberID = memberID
        self.instanceID = instanceID
        self.generationID = generationID
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.assignments = assignments
    }
}

/// A SyncGroup response in the coordinator's terms.
public struct SyncGroupOutcome: Sendable, Equatable {
    public var error: GroupErrorCode
    public var protocolType: String?
    public var protocolName: String?
    public var assignment: [UInt8] = []

    public init(error: GroupErrorCode, protocolType: String? = nil, protocolName: String? = nil, assignment: [UInt8] = []) {
        self.error = error
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.assignment = assignment
    }
}

/// A member leaving (LeaveGroup v0–2 name one member; v3+ a batch, each answered on its own).
public struct LeavingMember: Sendable, Equatable {
    public var memberID: String
    public var instanceID: String?

    public init(memberID: String, instanceID: String? = nil) {
        self.memberID = memberID
        self.instanceID = instanceID
    }
}

/// A timer the caller runs for the group and reports back with `timerFired`. A timer that fires
/// late or after its purpose is gone is harmless: the group checks its own deadlines.
public enum GroupTimer: Sendable, Hashable {
    /// End of the join phase (rebalance timeout, or the initial rebalance delay).
    case join
    /// End of a member's session unless it heartbeats.
    case session(memberID: String)
}

/// What the caller must do after an event.
public enum GroupOutput: Sendable, Equatable {
    case joinResponse(ResponseToken, JoinGroupOutcome)
    case syncResponse(ResponseToken, SyncGroupOutcome)
    case schedule(GroupTimer, atMs: Int64)
    /// The group's membership or assignment changed in a way that must be stored (Kafka writes a
    /// group-metadata record to `__consumer_offsets`).
    case persistGroup
}
