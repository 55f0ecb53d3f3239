import GroupCoordination
import KafkaProtocol
import NIOCore

/// The classic consumer-group APIs: FindCoordinator, JoinGroup, SyncGroup, Heartbeat,
/// LeaveGroup, OffsetCommit and OffsetFetch. This node coordinates every group.
extension Broker {
    func findCoordinator(_ request: FindCoordinatorRequest, _ context: RequestContext) -> FindCoordinatorResponse {
        var response = FindCoordinatorResponse()
        let broker = topics.metadata.brokers.first { $0.nodeID == configuration.nodeID }
        if context.apiVersion >= 4 {
            response.coordinators = request.coordinatorKeys.map { key in
                var coordinator = FindCoordinatorResponse.Coordinator()
                coordinator.key = key
                coordinator.nodeID = configuration.nodeID
                coordinator.host = broker?.host ?? configuration.advertisedHost
                coordinator.port = broker?.port ?? configuration.advertisedPort
                coordinator.errorMessage = nil
                return coordinator
            }
        } else {
            response.nodeID = configuration.nodeID
            response.host = broker?.host ?? configuration.advertisedHost
            response.port = broker?.port ?? configuration.advertisedPort
            response.errorMessage = context.apiVersion >= 1 ? nil : ""
        }
        return response
    }

    func joinGroup(_ request: JoinGroupRequest, _ context: RequestContext) -> EventLoopFuture<JoinGroupResponse?> {
        let version = context.apiVersion
        return groups.join(group: request.groupID, eventLoop: context.eventLoop) { token, newMemberID in
            JoinGroupInput(
                token: token, version: version, memberID: request.memberID, instanceID: request.groupInstanceID,
                protocolType: request.protocolType,
                protocols: request.protocols.map { GroupProtocol(name: $0.name, metadata: $0.metadata) },
                sessionTimeoutMs: request.sessionTimeoutMs,
                rebalanceTimeoutMs: version >= 1 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
                clientID: context.header.clientID ?? "", clientHost: Self.clientHost(context.peer),
                newMemberID: "\(context.header.clientID ?? "member")-\(newMemberID)")
        }.map { outcome in
            var response = JoinGroupResponse()
            response.errorCode = outcome.error.rawValue
            response.generationID = outcome.generationID
            response.protocolName = version >= 7 ? outcome.protocolName : (outcome.protocolName ?? "")
            if version >= 7 { response.protocolType = outcome.protocolType }
            if version >= 9 { response.skipAssignment = outcome.skipAssignment }
            response.leader = outcome.leaderID
            response.memberID = outcome.memberID
            response.members = outcome.members.map { member in
                var entry = JoinGroupResponse.JoinGroupResponseMember()
                entry.memberID = member.memberID
                if version >= 5 { entry.groupInstanceID = member.instanceID }
                entry.metadata = member.metadata
                return entry
            }
            return response
        }
    }

    /// Kafka reports a member's host as `/<ip>`; the peer is NIO's `[IPv4]host/ip:port`.
    static func clientHost(_ peer: String) -> String {
        guard let slash = peer.lastIndex(of: "/") else { return peer }
        var address = peer[peer.index(after: slash)...]
        if let colon = address.lastIndex(of: ":") { address = address[..<colon] }
        return "/" + address
    }

    func syncGroup(_ request: SyncGroupRequest, _ context: RequestContext) -> EventLoopFuture<SyncGroupResponse?> {
        let version = context.apiVersion
        return groups.sync(group: request.groupID, eventLoop: context.eventLoop) { token in
            SyncGroupInput(
                token: token, memberID: request.memberID, instanceID: request.groupInstanceID,
                generationID: request.generationID, protocolType: request.protocolType, protocolName: request.protocolName,
                assignments: Dictionary(request.assignments.map { ($0.memberID, $0.assignment) }, uniquingKeysWith: { $1 }))
        }.map { outcome in
            var response = SyncGroupResponse()
            response.errorCode = outcome.error.rawValue
            response.assignment = outcome.assignment
            if version >= 5 {
                response.protocolType = outcome.protocolType
                response.protocolName = outcome.protocolName
            }
            return response
        }
    }

    func heartbeat(_ request: HeartbeatRequest, _ context: RequestContext) -> HeartbeatResponse {
        var response = HeartbeatResponse()
        response.errorCode = groups.heartbeat(group: request.groupID, memberID: request.memberID,
                                              instanceID: request.groupInstanceID, generation: request.generationID).rawValue
        return response
    }

    func leaveGroup(_ request: LeaveGroupRequest, _ context: RequestContext) -> LeaveGroupResponse {
        var response = LeaveGroupResponse()
        if context.apiVersion >= 3 {
            let leaving = request.members.map { LeavingMember(memberID: $0.memberID, instanceID: $0.groupInstanceID) }
            let errors = groups.leave(group: request.groupID, members: leaving)
            response.members = zip(request.members, errors).map { member, error in
                var entry = LeaveGroupResponse.MemberResponse()
                entry.memberID = member.memberID
                entry.groupInstanceID = member.groupInstanceID
                entry.errorCode = error.rawValue
                return entry
            }
        } else {
            response.errorCode = groups.leave(group: request.groupID, members: [LeavingMember(memberID: request.memberID)]).first?.rawValue ?? 0
        }
        return response
    }

    /// OffsetCommit 2-9: members of a group commit within their generation; a client that is
    /// not a member (generation -1) may commit for a group without members.
    func offsetCommit(_ request: OffsetCommitRequest, _ context: RequestContext) -> OffsetCommitResponse {
        let version = context.apiVersion
        var error = GroupErrorCode.none.rawValue
        if let group = groups.consumerGroup(request.groupID), !group.members.isEmpty || request.generationIDOrMemberEpoch >= 0 {
            // A consumer-protocol group (v9 semantics): the field is the member epoch.
            error = group.validateEpoch(memberID: request.memberID, memberEpoch: request.generationIDOrMemberEpoch)?.rawValue ?? 0
        } else if let group = groups.group(request.groupID), !group.members.isEmpty || request.generationIDOrMemberEpoch >= 0 {
            if group.member(request.memberID) == nil {
                error = GroupErrorCode.unknownMemberID.rawValue
            } else if request.generationIDOrMemberEpoch != group.generationID {
                error = GroupErrorCode.illegalGeneration.rawValue
            } else if group.state == .completingRebalance {
                error = GroupErrorCode.rebalanceInProgress.rawValue
            }
        } else if request.generationIDOrMemberEpoch >= 0 {
            error = GroupErrorCode.unknownMemberID.rawValue
        }
        let now = Broker.nowMs()
        var offsets: [TopicPartition: OffsetCommitValue] = [:]
        var codes: [TopicPartition: Int16] = [:]
        for topic in request.topics {
            for partition in topic.partitions {
                let key = TopicPartition(topic: topic.name, partition: partition.partitionIndex)
                guard error == 0 else {
                    codes[key] = error
                    continue
                }
                guard topics.partitionLog(topic: topic.name, partition: partition.partitionIndex) != nil else {
                    codes[key] = KafkaErrorCode.unknownTopicOrPartition.rawValue
                    continue
                }
                let expire: Int64? = (version <= 4 && request.retentionTimeMs > 0) ? now + request.retentionTimeMs : nil
                offsets[key] = OffsetCommitValue(
                    offset: partition.committedOffset, leaderEpoch: partition.committedLeaderEpoch,
                    metadata: partition.committedMetadata ?? "", commitTimestamp: now, expireTimestamp: expire)
            }
        }
        do {
            try groups.commit(group: request.groupID, offsets: offsets)
            for key in offsets.keys { codes[key] = 0 }
        } catch {
            logger.error("offset commit failed", metadata: ["group": "\(request.groupID)", "error": "\(error)"])
            for key in offsets.keys { codes[key] = KafkaErrorCode.kafkaStorageError.rawValue }
        }
        var response = OffsetCommitResponse()
        response.topics = request.topics.map { topic in
            var entry = OffsetCommitResponse.OffsetCommitResponseTopic()
            entry.name = topic.name
            entry.partitions = topic.partitions.map { partition in
                var result = OffsetCommitResponse.OffsetCommitResponseTopic.OffsetCommitResponsePartition()
                result.partitionIndex = partition.partitionIndex
                result.errorCode = codes[TopicPartition(topic: topic.name, partition: partition.partitionIndex)] ?? 0
                return result
            }
            return entry
        }
        return response
    }

    /// OffsetFetch 1-9: -1 and no error for partitions without a commit; metadata kept as
    /// committed. v8+ asks for several groups at once; null topics ask for every partition.
    func offsetFetch(_ request: OffsetFetchRequest, _ context: RequestContext) -> OffsetFetchResponse {
        let version = context.apiVersion
        var response = OffsetFetchResponse()
        func lookup(group: String, topics wanted: [(String, [Int32])]?) -> [(String, [(Int32, OffsetCommitValue?)])] {
            if let wanted {
                return wanted.map { name, partitions in
                    (name, partitions.map { ($0, groups.committed(group: group, TopicPartition(topic: name, partition: $0))) })
                }
            }
            let all = groups.committed(group: group)
            let byTopic = Dictionary(grouping: all.keys, by: \.topic)
            return byTopic.keys.sorted().map { name in
                (name, byTopic[name]!.map(\.partition).sorted().map { ($0, all[TopicPartition(topic: name, partition: $0)]) })
            }
        }
        if version >= 8 {
            response.groups = request.groups.map { group in
                var entry = OffsetFetchResponse.OffsetFetchResponseGroup()
                entry.groupID = group.groupID
                entry.topics = lookup(group: group.groupID, topics: group.topics?.map { ($0.name, $0.partitionIndexes) }).map { name, partitions in
                    var topic = OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics()
                    topic.name = name
                    topic.partitions = partitions.map { index, value in
                        var partition = OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics.OffsetFetchResponsePartitions()
                        partition.partitionIndex = index
                        partition.committedOffset = value?.offset ?? -1
                        partition.committedLeaderEpoch = value?.leaderEpoch ?? -1
                        partition.metadata = value?.metadata ?? ""
                        return partition
                    }
                    return topic
                }
                return entry
            }
        } else {
            response.topics = lookup(group: request.groupID, topics: request.topics?.map { ($0.name, $0.partitionIndexes) }).map { name, partitions in
                var topic = OffsetFetchResponse.OffsetFetchResponseTopic()
                topic.name = name
                topic.partitions = partitions.map { index, value in
                    var partition = OffsetFetchResponse.OffsetFetchResponseTopic.OffsetFetchResponsePartition()
                    partition.partitionIndex = index
                    partition.committedOffset = value?.offset ?? -1
                    if version >= 5 { partition.committedLeaderEpoch = value?.leaderEpoch ?? -1 }
                    partition.metadata = value?.metadata ?? ""
                    return partition
                }
                return topic
            }
        }
        return response
    }
}
