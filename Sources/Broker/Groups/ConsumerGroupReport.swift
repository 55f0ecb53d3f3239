import GroupCoordination
import NIOCore
import NIOPosix

/// A consumer group as the admin port's `/v1/groups` reports it: members with their
/// assignments, and per partition the committed offset, the end offset and the lag.
public struct ConsumerGroupReport: Codable, Sendable, Equatable {
    public struct Member: Codable, Sendable, Equatable {
        public var memberId: String
        public var groupInstanceId: String?
        public var clientId: String
        public var clientHost: String
        public var assignment: [String: [Int32]]
    }

    public struct PartitionLag: Codable, Sendable, Equatable {
        public var topic: String
        public var partition: Int32
        /// nil when the group has not committed for the partition.
        public var committedOffset: Int64?
        public var committedMetadata: String?
        /// The partition's log end offset (its high watermark on one node).
        public var endOffset: Int64?
        /// `endOffset - committedOffset`, when both are known.
        public var lag: Int64?
    }

    public var groupId: String
    public var state: String
    public var protocolType: String
    public var assignor: String?
    public var generation: Int32
    public var members: [Member]
    public var partitions: [PartitionLag]
    public var totalLag: Int64
}

extension Broker {
    /// Every group this node coordinates, with lag.
    public func groupReports() -> [ConsumerGroupReport] {
        groups.snapshot().map { report(id: $0.id, view: $0.view, offsets: $0.offsets) }
    }

    /// One group, or nil when the node knows nothing of it.
    public func groupReport(id: String) -> ConsumerGroupReport? {
        groups.snapshot().first { $0.id == id }.map { report(id: $0.id, view: $0.view, offsets: $0.offsets) }
    }

    private func report(id: String, view: GroupCoordinator.GroupView,
                        offsets: [TopicPartition: OffsetCommitValue]) -> ConsumerGroupReport {
        let members = view.members.map { member in
            ConsumerGroupReport.Member(
                memberId: member.memberID, groupInstanceId: member.instanceID, clientId: member.clientID,
                clientHost: member.clientHost,
                assignment: Dictionary(grouping: member.assigned, by: \.topic).mapValues { $0.map(\.partition).sorted() })
        }
        var partitions = Set(offsets.keys)
        for member in view.members { partitions.formUnion(member.assigned) }
        let lags = partitions.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }.map { partition in
            let committed = offsets[partition]
            let end = topics.partitionLog(topic: partition.topic, partition: partition.partition)?.logEndOffset
            let lag = committed.flatMap { value in end.map { max(0, $0 - value.offset) } }
            return ConsumerGroupReport.PartitionLag(topic: partition.topic, partition: partition.partition,
                                                    committedOffset: committed?.offset, committedMetadata: committed?.metadata,
                                                    endOffset: end, lag: lag)
        }
        return ConsumerGroupReport(
            groupId: id, state: view.state, protocolType: view.protocolType, assignor: view.assignor,
            generation: view.generation, members: members, partitions: lags,
            totalLag: lags.compactMap(\.lag).reduce(0, +))
    }

    /// Starts the coordinator's periodic work: lag gauges every 10 s, offsets retention every
    /// `offsets.retention.check.interval.ms`.
    func startGroupMaintenance() {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        loop.scheduleRepeatedTask(initialDelay: .seconds(10), delay: .seconds(10)) { [self] _ in
            for report in groupReports() {
                for partition in report.partitions {
                    if let lag = partition.lag {
                        GroupMetrics.recordLag(group: report.groupId, topic: partition.topic, partition: partition.partition, lag: lag)
                    }
                }
            }
        }
        let interval = TimeAmount.milliseconds(configuration.offsetsRetentionCheckIntervalMs)
        loop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [self] _ in
            do {
                let removed = try groups.expireOffsets(nowMs: Broker.nowMs(), retentionMs: configuration.offsetsRetentionMs)
                if removed > 0 { logger.info("expired committed offsets", metadata: ["count": "\(removed)"]) }
            } catch {
                logger.error("offsets retention failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
