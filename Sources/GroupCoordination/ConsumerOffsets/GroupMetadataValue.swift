import NIOCore

/// The value of a group-metadata record in `__consumer_offsets` (Kafka's `GroupMetadataValue`):
/// what a coordinator needs to take a group over after a restart or a move.
///
/// | version | adds |
/// |---|---|
/// | 0 | protocolType string, generation int32, protocol nullable string, leader nullable string, members [memberId, clientId, clientHost, sessionTimeout int32, subscription bytes, assignment bytes] |
/// | 1 | member rebalanceTimeout int32 (after clientHost) |
/// | 2 | currentStateTimestamp int64 (after leader) |
/// | 3 | member groupInstanceId nullable string (after memberId) |
///
/// Sluice writes version 3.
public struct GroupMetadataValue: Sendable, Equatable {
    public var protocolType: String
    public var generation: Int32
    public var protocolName: String?
    public var leader: String?
    /// When the group entered its current state (-1 if unknown); offsets of an empty group
    /// expire counting from here.
    public var currentStateTimestamp: Int64
    public var members: [Member]

    public struct Member: Sendable, Equatable {
        public var memberID: String
        public var instanceID: String?
        public var clientID: String
        public var clientHost: String
        public var rebalanceTimeoutMs: Int32
        public var sessionTimeoutMs: Int32
        public var subscription: [UInt8]
        public var assignment: [UInt8]

        public init(
            memberID: String, instanceID: String?, clientID: String, clientHost: String,
            rebalanceTimeoutMs: Int32, sessionTimeoutMs: Int32, subscription: [UInt8], assignment: [UInt8]
        ) {
            self.memberID = memberID
            self.instanceID = instanceID
            self.clientID = clientID
            self.clientHost = clientHost
            self.rebalanceTimeoutMs = rebalanceTimeoutMs
            self.sessionTimeoutMs = sessionTimeoutMs
            self.subscription = subscription
            self.assignment = assignment
        }
    }

    public init(protocolType: String, generation: Int32, protocolName: String?, leader: String?, currentStateTimestamp: Int64, members: [Member]) {
        self.protocolType = protocolType
        self.generation = generation
        self.protocolName = protocolName
        self.leader = leader
        self.currentStateTimestamp = currentStateTimestamp
        self.members = members
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Int16(3))
        buffer.writeShortString(protocolType)
        buffer.writeInteger(generation)
        buffer.writeNullableShortString(protocolName)
        buffer.writeNullableShortString(leader)
        buffer.writeInteger(currentStateTimestamp)
        buffer.writeInteger(Int32(members.count))
        for member in members {
            buffer.writeShortString(member.memberID)
            buffer.writeNullableShortString(member.instanceID)
            buffer.writeShortString(member.clientID)
            buffer.writeShortString(member.clientHost)
            buffer.writeInteger(member.rebalanceTimeoutMs)
            buffer.writeInteger(member.sessionTimeoutMs)
            buffer.writeInt32Bytes(member.subscription)
            buffer.writeInt32Bytes(member.assignment)
        }
    }

    public init(from buffer: inout ByteBuffer) throws {
        let version = try buffer.readRequired(Int16.self, "group metadata value version")
        guard (0...3).contains(version) else {
            throw ConsumerOffsetsFormatError("unsupported group metadata value version \(version)")
        }
        protocolType = try buffer.readShortString("protocol type")
        generation = try buffer.readRequired(Int32.self, "generation")
        protocolName = try buffer.readNullableShortString("protocol")
        leader = try buffer.readNullableShortString("leader")
        currentStateTimestamp = version >= 2 ? try buffer.readRequired(Int64.self, "current state timestamp") : -1
        let count = try buffer.readRequired(Int32.self, "member count")
        // Each member takes at least 18 bytes (version 0), so a hostile count cannot reserve memory that
        // the record does not back.
        guard count >= 0, Int(count) <= buffer.readableBytes / 18 else {
            throw ConsumerOffsetsFormatError("member count \(count) does not fit the \(buffer.readableBytes) bytes left")
        }
        var members: [Member] = []
        members.reserveCapacity(Int(count))
        for index in 0..<Int(count) {
            let field = "member \(index)"
            let memberID = try buffer.readShortString("\(field) id")
            let instanceID = version >= 3 ? try buffer.readNullableShortString("\(field) instance id") : nil
            let clientID = try buffer.readShortString("\(field) client id")
            let clientHost = try buffer.readShortString("\(field) client host")
            let sessionOrRebalance = try buffer.readRequired(Int32.self, "\(field) timeout")
            let rebalanceTimeout: Int32
            let sessionTimeout: Int32
            if version >= 1 {
                rebalanceTimeout = sessionOrRebalance
                sessionTimeout = try buffer.readRequired(Int32.self, "\(field) session timeout")
            } else {
                // Version 0 has only the session timeout, which Kafka also used as the rebalance timeout.
                rebalanceTimeout = sessionOrRebalance
                sessionTimeout = sessionOrRebalance
            }
            members.append(Member(
                memberID: memberID, instanceID: instanceID, clientID: clientID, clientHost: clientHost,
                rebalanceTimeoutMs: rebalanceTimeout, sessionTimeoutMs: sessionTimeout,
                subscription: try buffer.readInt32Bytes("\(field) subscription"),
                assignment: try buffer.readInt32Bytes("\(field) assignment")))
        }
        self.members = members
    }
}
