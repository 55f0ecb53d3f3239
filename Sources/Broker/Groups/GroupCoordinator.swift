import Dispatch
import GroupCoordination
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The classic-protocol group coordinator of this node: runs each group's pure state machine
/// (`ClassicGroupStateMachine`), holds back JoinGroup and SyncGroup responses until the machine
/// releases them, runs its timers, and keeps committed offsets in `__consumer_offsets`.
///
/// Each completed rebalance stores the group's membership (Kafka's group-metadata record), so
/// after a restart a Stable group is taken over as it was: members keep heartbeating in their
/// generation, and one that is gone is expired after its session timeout.
final class GroupCoordinator: Sendable {
    let offsetsLog: ConsumerOffsetsLog
    let configuration: GroupConfiguration
    let consumerConfiguration: ConsumerGroupConfiguration
    let logger: Logger
    private let timerLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.next()
    let state = Mutex(State())

    struct State: @unchecked Sendable {
        var groups: [String: ClassicGroupStateMachine] = [:]
        /// Groups of the new protocol (KIP-848), by id.
        var consumerGroups: [String: ConsumerGroupStateMachine] = [:]
        var offsets = CommittedOffsets()
        var joins: [ResponseToken: EventLoopPromise<JoinGroupOutcome>] = [:]
        var syncs: [ResponseToken: EventLoopPromise<SyncGroupOutcome>] = [:]
        var timers: [TimerKey: Scheduled<Void>] = [:]
        var nextToken: ResponseToken = 1
        var nextMember: UInt64 = 1
        /// When each group's current rebalance started (for the rebalance metrics).
        var rebalanceStarted: [String: Int64] = [:]
    }

    struct TimerKey: Hashable {
        var group: String
        var timer: GroupTimer
    }

    init(offsetsLog: ConsumerOffsetsLog, configuration: GroupConfiguration,
         consumerConfiguration: ConsumerGroupConfiguration = ConsumerGroupConfiguration(), logger: Logger) {
        self.offsetsLog = offsetsLog
        self.configuration = configuration
        self.consumerConfiguration = consumerConfiguration
        self.logger = logger
    }

    /// Creates `__consumer_offsets` if needed and replays the committed offsets.
    func load() throws {
        try offsetsLog.ensureTopic()
        var offsets = CommittedOffsets()
        var stored: [String: GroupMetadataValue] = [:]
        let records = try offsetsLog.load(into: &offsets, groups: &stored)
        let now = Broker.nowMs()
        let effects = state.withLock { state -> [() -> Void] in
            state.offsets = offsets
            var effects: [() -> Void] = []
            for (group, value) in stored {
                let (machine, outputs) = ClassicGroupStateMachine.restored(groupID: group, configuration: configuration, from: value, nowMs: now)
                state.groups[group] = machine
                effects += perform(outputs, group: group, state: &state)
            }
            return effects
        }
        effects.forEach { $0() }
        startConsumerGroupSessions()
        logger.info("group coordinator loaded", metadata: ["records": "\(records)", "groups": "\(stored.count)"])
    }

    // MARK: Membership

    func join(group: String, eventLoop: any EventLoop, makeInput: (ResponseToken, String) -> JoinGroupInput) -> EventLoopFuture<JoinGroupOutcome> {
        let promise = eventLoop.makePromise(of: JoinGroupOutcome.self)
        let effects = state.withLock { state -> [() -> Void] in
            let token = state.nextToken
            state.nextToken += 1
            state.joins[token] = promise
            let memberID = "member-\(state.nextMember)-\(UInt64.random(in: 0...UInt64.max) & 0xffff_ffff)"
            state.nextMember += 1
            var machine = state.groups[group] ?? ClassicGroupStateMachine(groupID: group, configuration: configuration)
            let outputs = machine.join(makeInput(token, memberID), nowMs: Broker.nowMs())
            state.groups[group] = machine
            return perform(outputs, group: group, state: &state)
        }
        effects.forEach { $0() }
        return promise.futureResult
    }

    func sync(group: String, eventLoop: any EventLoop, makeInput: (ResponseToken) -> SyncGroupInput) -> EventLoopFuture<SyncGroupOutcome> {
        let promise = eventLoop.makePromise(of: SyncGroupOutcome.self)
        let effects = state.withLock { state -> [() -> Void] in
            let token = state.nextToken
            state.nextToken += 1
            state.syncs[token] = promise
            guard var machine = state.groups[group] else {
                state.syncs[token] = nil
                return [{ promise.succeed(SyncGroupOutcome(error: .unknownMemberID)) }]
            }
            let outputs = machine.sync(makeInput(token), nowMs: Broker.nowMs())
            state.groups[group] = machine
            return perform(outputs, group: group, state: &state)
        }
        effects.forEach { $0() }
        return promise.futureResult
    }

    func heartbeat(group: String, memberID: String, instanceID: String?, generation: Int32) -> GroupErrorCode {
        let (error, effects) = state.withLock { state -> (GroupErrorCode, [() -> Void]) in
            guard var machine = state.groups[group] else { return (.unknownMemberID, []) }
            let (error, outputs) = machine.heartbeat(memberID: memberID, instanceID: instanceID, generationID: generation, nowMs: Broker.nowMs())
            state.groups[group] = machine
            return (error, perform(outputs, group: group, state: &state))
        }
        effects.forEach { $0() }
        return error
    }

    func leave(group: String, members: [LeavingMember]) -> [GroupErrorCode] {
        let (errors, effects) = state.withLock { state -> ([GroupErrorCode], [() -> Void]) in
            guard var machine = state.groups[group] else { return (members.map { _ in .unknownMemberID }, []) }
            let (errors, outputs) = machine.leave(members, nowMs: Broker.nowMs())
            state.groups[group] = machine
            return (errors, perform(outputs, group: group, state: &state))
        }
        effects.forEach { $0() }
        return errors
    }

    /// A group's state for commit checks.
    func group(_ id: String) -> ClassicGroupStateMachine? {
        state.withLock { $0.groups[id] }
    }

    /// Turns the machine's outputs into effects to run once the lock is released.
    private func perform(_ outputs: [GroupOutput], group: String, state: inout State) -> [() -> Void] {
        var effects: [() -> Void] = []
        if let machine = state.groups[group] { GroupMetrics.observe(machine, started: &state.rebalanceStarted, now: Broker.nowMs()) }
        for output in outputs {
            switch output {
            case .joinResponse(let token, let outcome):
                if let promise = state.joins.removeValue(forKey: token) { effects.append { promise.succeed(outcome) } }
            case .syncResponse(let token, let outcome):
                if let promise = state.syncs.removeValue(forKey: token) { effects.append { promise.succeed(outcome) } }
            case .schedule(let timer, let at):
                let key = TimerKey(group: group, timer: timer)
                state.timers[key]?.cancel()
                let delay = max(0, at - Broker.nowMs())
                state.timers[key] = timerLoop.scheduleTask(in: .milliseconds(delay)) { [self] in
                    fire(timer, group: group)
                }
            case .persistGroup:
                // Written under the lock, so the stored records of a group stay in order.
                guard let machine = state.groups[group] else { break }
                var value = ByteBuffer()
                machine.metadataValue(nowMs: Broker.nowMs()).encode(into: &value)
                do {
                    try offsetsLog.append([ConsumerOffsetsRecord(key: .groupMetadata(group: group), value: value)], group: group)
                } catch {
                    logger.error("cannot store group metadata", metadata: ["group": "\(group)", "error": "\(error)"])
                }
            }
        }
        return effects
    }

    private func fire(_ timer: GroupTimer, group: String) {
        let effects = state.withLock { state -> [() -> Void] in
            state.timers[TimerKey(group: group, timer: timer)] = nil
            guard var machine = state.groups[group] else { return [] }
            let outputs = machine.timerFired(timer, nowMs: Broker.nowMs())
            state.groups[group] = machine
            return perform(outputs, group: group, state: &state)
        }
        effects.forEach { $0() }
    }

    // MARK: Offsets

    func committed(group: String, _ partition: TopicPartition) -> OffsetCommitValue? {
        state.withLock { $0.offsets.committed(group: group, partition) }
    }

    func committed(group: String) -> [TopicPartition: OffsetCommitValue] {
        state.withLock { $0.offsets.committed(group: group) }
    }

    /// Appends the commits to `__consumer_offsets` and applies them once written.
    func commit(group: String, offsets: [TopicPartition: OffsetCommitValue]) throws {
        let records = state.withLock { $0.offsets.commitRecords(group: group, offsets: offsets) }
        try offsetsLog.append(records, group: group)
        try state.withLock { try $0.offsets.apply(records) }
    }
}
