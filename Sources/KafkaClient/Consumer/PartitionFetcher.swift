import KafkaProtocol
import NIOCore
import NIOPosix
import Synchronization

/// Fetches the assigned partitions ahead of the application: one Fetch in flight per leader,
/// the next sent as soon as the previous is in, records decoded off the event loops and kept
/// per partition (up to `prefetchBytesPerPartition`) until `poll` takes them.
final class PartitionFetcher: Sendable {
    struct PartitionState {
        /// The next offset `poll` returns (what a commit stores); nil until reset or committed.
        var position: Int64?
        /// The next offset to fetch (ahead of `position` by what is buffered).
        var fetchOffset: Int64?
        /// Bumped by seek and reassignment, so answers to older fetches are dropped.
        var epoch = 0
        var inFlight = false
        var buffered = RecordQueue()
        var highWatermark: Int64 = -1
        var failure: KafkaClientError?
    }

    struct State {
        var partitions: [TopicPartition: PartitionState] = [:]
        var busyNodes: Set<Int32> = []
        var metadataStale = true
        var metadata = ClusterMetadata()
        var rotation = 0
        var closed = false
    }

    let configuration: ConsumerConfiguration
    let cluster: KafkaCluster
    let state = Mutex(State())
    private let wake = WakeSignal()
    private let arrived = WakeSignal()
    private let eventLoop: EventLoop = MultiThreadedEventLoopGroup.singleton.next()
    private let loop = Mutex<Task<Void, Never>?>(nil)

    init(configuration: ConsumerConfiguration, cluster: KafkaCluster) {
        self.configuration = configuration
        self.cluster = cluster
        loop.withLock { $0 = Task { await self.run() } }
    }

    // MARK: Assignment and positions

    /// Replaces the assignment; `offsets` gives starting positions (nil: committed unknown, reset).
    func assign(_ offsets: [TopicPartition: Int64?]) {
        state.withLock { state in
            var next: [TopicPartition: PartitionState] = [:]
            for (partition, offset) in offsets {
                if let offset {
                    var fresh = PartitionState()
                    fresh.epoch = (state.partitions[partition]?.epoch ?? 0) + 1
                    fresh.position = offset
                    fresh.fetchOffset = offset
                    next[partition] = fresh
                } else {
                    next[partition] = state.partitions[partition] ?? PartitionState()
                }
            }
            state.partitions = next
        }
        wake.signal()
    }

    /// Adds partitions (cooperative rebalancing keeps the rest fetching).
    func add(_ offsets: [TopicPartition: Int64?]) {
        var all: [TopicPartition: Int64?] = state.withLock { state in state.partitions.mapValues { $0.position } }
        for (partition, offset) in offsets { all[partition] = offset }
        assign(all)
    }

    func remove(_ partitions: [TopicPartition]) {
        state.withLock { state in for partition in partitions { state.partitions[partition] = nil } }
    }

    var assignment: [TopicPartition] { state.withLock { Array($0.partitions.keys).sorted() } }

    /// Moves a partition's position; buffered records are dropped.
    func seek(_ partition: TopicPartition, to offset: Int64) throws(KafkaClientError) {
        try state.withLock { state throws(KafkaClientError) in
            guard var current = state.partitions[partition] else { throw .invalidArgument("\(partition) is not assigned") }
            current = PartitionState(position: offset, fetchOffset: offset, epoch: current.epoch + 1)
            state.partitions[partition] = current
        }
        wake.signal()
    }

    /// The positions of the partitions that have one.
    func positions() -> [TopicPartition: Int64] {
        state.withLock { $0.partitions.compactMapValues(\.position) }
    }

    /// The high watermark of each partition as of its last fetch (-1 before it).
    func highWatermarks() -> [TopicPartition: Int64] {
        state.withLock { $0.partitions.mapValues(\.highWatermark) }
    }

    // MARK: Polling

    /// Up to `maxRecords` buffered records, waiting up to `timeout` for some.
    func poll(maxRecords: Int, timeout: Duration) async throws -> [ConsumerRecord] {
        let deadline = Clocks.monotonicNanos() &+ UInt64(timeout.nanoseconds)
        while true {
            let (records, failure, freed) = state.withLock { $0.take(maxRecords: maxRecords, prefetch: configuration.prefetchBytesPerPartition) }
            if freed { wake.signal() }
            if let failure { throw failure }
            if !records.isEmpty { return records }
            let now = Clocks.monotonicNanos()
            guard now < deadline, !state.withLock({ $0.closed }) else { return [] }
            let timer = arrived.signal(after: .nanoseconds(Int64(deadline - now)), on: eventLoop)
            await arrived.wait()
            timer.cancel()
        }
    }

    func close() async {
        state.withLock { $0.closed = true }
        wake.signal()
        arrived.signal()
        await loop.withLock { $0 }?.value
    }

    // MARK: The fetch loop

    private func run() async {
        while !state.withLock({ $0.closed }) {
            let unset = state.withLock { $0.partitions.filter { $0.value.position == nil && $0.value.failure == nil }.map(\.key) }
            if !unset.isEmpty { await resetPositions(unset) }
            var refreshed = false
            if state.withLock({ $0.metadataStale }) {
                refreshed = true
                let topics = Array(Set(state.withLock { $0.partitions.keys.map(\.topic) }))
                if let snapshot = try? await cluster.refreshMetadata(topics: topics) {
                    state.withLock {
                        $0.metadata = snapshot
                        $0.metadataStale = false
                    }
                } else {
                    wake.signal(after: .nanoseconds(configuration.client.retryBackoff.nanoseconds), on: eventLoop)
                }
            }
            let plan = state.withLock { $0.plan(prefetch: configuration.prefetchBytesPerPartition) }
            for (node, partitions) in plan {
                Task { await self.fetch(partitions, from: node) }
            }
            if state.withLock({ $0.metadataStale }) {
                // A leader is unknown: refresh now, or after a backoff if a refresh just failed to name one.
                if !refreshed { continue }
                wake.signal(after: .nanoseconds(configuration.client.retryBackoff.nanoseconds), on: eventLoop)
            }
            await wake.wait()
        }
    }

    private func resetPositions(_ partitions: [TopicPartition]) async {
        let reset = configuration.autoOffsetReset
        guard reset != .none else {
            state.withLock { state in
                for partition in partitions { state.partitions[partition]?.failure = .broker(.offsetOutOfRange, "\(partition) has no committed offset and autoOffsetReset is none") }
            }
            arrived.signal()
            return
        }
        let spec = reset == .earliest ? OffsetSpec.earliest : OffsetSpec.latest
        do {
            let offsets = try await cluster.listOffsets(Dictionary(uniqueKeysWithValues: partitions.map { ($0, spec) }), isolation: configuration.isolationLevel)
            state.withLock { state in
                for (partition, offset) in offsets where state.partitions[partition]?.position == nil {
                    state.partitions[partition]?.position = offset
                    state.partitions[partition]?.fetchOffset = offset
                }
            }
        } catch {
            try? await Task.sleep(for: configuration.client.retryBackoff)
            wake.signal()
        }
    }

    private func fetch(_ partitions: [(TopicPartition, Int64, Int)], from node: Int32) async {
        var request = FetchRequest()
        request.replicaID = -1
        request.maxWaitMs = Int32(clamping: configuration.fetchMaxWait.milliseconds)
        request.minBytes = configuration.fetchMinBytes
        request.maxBytes = configuration.fetchMaxBytes
        request.isolationLevel = configuration.isolationLevel.rawValue
        request.sessionEpoch = -1
        for (topic, members) in Dictionary(grouping: partitions, by: { $0.0.topic }) {
            var entry = FetchRequest.FetchTopic()
            entry.topic = topic
            entry.partitions = members.map { member in
                var partition = FetchRequest.FetchTopic.FetchPartition()
                partition.partition = member.0.partition
                partition.currentLeaderEpoch = -1
                partition.fetchOffset = member.1
                partition.logStartOffset = -1
                partition.partitionMaxBytes = configuration.maxPartitionFetchBytes
                return partition
            }
            request.topics.append(entry)
        }
        let epochs = Dictionary(uniqueKeysWithValues: partitions.map { ($0.0, ($0.1, $0.2)) })
        var results: [TopicPartition: Result<(FetchedRecordsDecoder.Output, Int64), KafkaClientError>] = [:]
        do {
            let timeout = configuration.client.requestTimeout + configuration.fetchMaxWait
            let response = try await cluster.connection(to: node).send(request, timeout: timeout)
            var decoder = FetchedRecordsDecoder()
            decoder.chunkSize = configuration.maxPollRecords
            for topic in response.responses {
                for data in topic.partitions {
                    let key = TopicPartition(topic.topic, data.partitionIndex)
                    guard let (offset, _) = epochs[key] else { continue }
                    let code = KafkaErrorCode(rawValue: data.errorCode)
                    guard code == .none else {
                        results[key] = .failure(.broker(code, "fetching \(key) at \(offset)"))
                        continue
                    }
                    let aborted = (data.abortedTransactions ?? []).map { (producerID: $0.producerID, firstOffset: $0.firstOffset) }
                    results[key] = Result {
                        (try decoder.decode(data.records ?? ByteBuffer(), topic: key.topic, partition: key.partition, fetchOffset: offset,
                                            isolation: configuration.isolationLevel, abortedTransactions: aborted), data.highWatermark)
                    }.mapError { $0 as? KafkaClientError ?? .protocolViolation("\($0)") }
                }
            }
        } catch {
            let failure = error as? KafkaClientError ?? .connection("\(error)")
            for (partition, _, _) in partitions { results[partition] = .failure(failure) }
            try? await Task.sleep(for: configuration.client.retryBackoff)
        }
        let reset = configuration.autoOffsetReset
        state.withLock { state in
            state.busyNodes.remove(node)
            for (partition, (offset, epoch)) in epochs {
                // Taken out so its buffer is uniquely referenced (appending to a shared copy
                // would copy every buffered record).
                guard var current = state.partitions.removeValue(forKey: partition) else { continue }
                current.inFlight = false
                defer { state.partitions[partition] = current }
                guard current.epoch == epoch, current.fetchOffset == offset else { continue }
                switch results[partition] ?? .failure(.protocolViolation("no answer for \(partition)")) {
                case .success(let (output, highWatermark)):
                    current.highWatermark = highWatermark
                    current.fetchOffset = output.nextOffset
                    current.buffered.append(output.chunks)
                case .failure(let error):
                    if error.code == .offsetOutOfRange && reset != .none {
                        current = PartitionState(epoch: current.epoch + 1)
                    } else if error.isRetriable {
                        state.metadataStale = true
                    } else {
                        current.failure = error
                    }
                }
            }
        }
        arrived.signal()
        wake.signal()
    }
}

extension PartitionFetcher.State {
    /// Which partitions to fetch now, by leader: assigned, positioned, not already being
    /// fetched, with room in their prefetch buffer, and whose leader has no fetch in flight.
    mutating func plan(prefetch: Int) -> [Int32: [(TopicPartition, Int64, Int)]] {
        var plan: [Int32: [(TopicPartition, Int64, Int)]] = [:]
        for (partition, current) in partitions where !current.inFlight && current.failure == nil && current.buffered.bytes < prefetch {
            guard let offset = current.fetchOffset else { continue }
            guard let leader = metadata.leader(of: partition) else {
                metadataStale = true
                continue
            }
            guard !busyNodes.contains(leader) else { continue }
            plan[leader, default: []].append((partition, offset, current.epoch))
        }
        for (node, members) in plan {
            busyNodes.insert(node)
            for (partition, _, _) in members { partitions[partition]?.inFlight = true }
        }
        return plan
    }

    /// Takes buffered records round-robin over the partitions and advances their positions.
    mutating func take(maxRecords: Int, prefetch: Int) -> ([ConsumerRecord], KafkaClientError?, Bool) {
        let keys = partitions.keys.sorted()
        guard !keys.isEmpty else { return ([], nil, false) }
        var taken: [ConsumerRecord] = []
        var freed = false
        rotation = (rotation + 1) % keys.count
        for index in 0..<keys.count where taken.count < maxRecords {
            let key = keys[(rotation + index) % keys.count]
            guard var current = partitions.removeValue(forKey: key) else { continue }
            defer { partitions[key] = current }
            if let failure = current.failure, current.buffered.isEmpty {
                current.failure = nil
                return (taken, failure, true)
            }
            guard !current.buffered.isEmpty else { continue }
            let wasFull = current.buffered.bytes >= prefetch
            current.buffered.take(upTo: maxRecords - taken.count, into: &taken)
            current.position = taken[taken.count - 1].offset + 1
            if current.buffered.isEmpty {
                current.position = max(current.position ?? 0, current.fetchOffset ?? 0)
            }
            freed = freed || (wasFull && current.buffered.bytes < prefetch)
        }
        return (taken, nil, freed)
    }
}
