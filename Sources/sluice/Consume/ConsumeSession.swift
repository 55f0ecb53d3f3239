import Dispatch
import Foundation
import KafkaClient
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One `sluice consume`: the consumer, where it starts, and when it stops.
struct ConsumeSession {
    let topics: [String]
    let group: String?
    let partitions: [Int32]
    let start: StartPosition?
    let count: Int?
    let exitAtEnd: Bool
    let client: ClientOptions

    init(options: ConsumeCommand, start: StartPosition?) throws {
        topics = options.topics
        group = options.group
        partitions = options.partition
        self.start = start
        count = options.count
        exitAtEnd = options.exitAtEnd
        client = options.client
    }

    /// What the rebalance callback needs: the consumer (set once it exists), the start
    /// position, and the end offsets `--exit-at-end` stops at.
    final class Shared: Sendable {
        let consumer = Mutex<KafkaConsumer?>(nil)
        let ends = Mutex<[TopicPartition: Int64]>([:])
        let admin: KafkaAdmin
        let start: StartPosition?
        let seekAll: Bool

        init(admin: KafkaAdmin, start: StartPosition?, seekAll: Bool) {
            self.admin = admin
            self.start = start
            self.seekAll = seekAll
        }

        /// Records the ends of newly assigned partitions and moves them to the start position.
        func assigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) async throws {
            guard !partitions.isEmpty else { return }
            let latest = try await admin.offsets(partitions, at: .latest)
            let earliest = try await admin.offsets(partitions, at: .earliest)
            ends.withLock { ends in
                for partition in partitions {
                    // An empty partition is at its end already.
                    ends[partition] = max(latest[partition] ?? 0, earliest[partition] ?? 0)
                }
            }
            guard let start, seekAll else { return }
            switch start {
            case .beginning: try await consumer.seekToBeginning(partitions)
            case .end: try await consumer.seekToEnd(partitions)
            case .offset(let offset):
                for partition in partitions { try consumer.seek(partition, to: offset) }
            case .fromEnd(let back):
                for partition in partitions {
                    try consumer.seek(partition, to: max(earliest[partition] ?? 0, (latest[partition] ?? 0) - back))
                }
            case .timestamp(let time):
                let found = try await consumer.offsets(forTimes: Dictionary(uniqueKeysWithValues: partitions.map { ($0, time) }))
                for partition in partitions {
                    let offset = found[partition] ?? -1
                    try consumer.seek(partition, to: offset >= 0 ? offset : latest[partition] ?? 0)
                }
            }
        }
    }

    func run(printer: RecordPrinter) async throws {
        let admin = try KafkaAdmin(configuration: client.clientConfiguration())
        var configuration = ConsumerConfiguration(client: try client.clientConfiguration(), groupID: group)
        let subscribing = group != nil && partitions.isEmpty
        // With a group, beginning/end are only the fallback for partitions without a committed
        // offset (kafka-console-consumer's --from-beginning); anything else moves every partition.
        let onlyFallback = group != nil && (start == nil || start == .beginning || start == .end)
        configuration.autoOffsetReset = start == .end ? .latest : .earliest
        configuration.autoCommit = group != nil
        let shared = Shared(admin: admin, start: start ?? .beginning, seekAll: !onlyFallback)
        let consumer = try KafkaConsumer(configuration: configuration)
        shared.consumer.withLock { $0 = consumer }
        Self.watchInterrupt()
        do {
            if subscribing {
                try await consumer.subscribe(topics, listener: RebalanceListener(onAssigned: { partitions in
                    guard let consumer = shared.consumer.withLock({ $0 }) else { return }
                    do {
                        try await shared.assigned(partitions, consumer: consumer)
                    } catch {
                        Console.diagnostic("error: positioning \(partitions.map(\.description).joined(separator: ", ")): \(error)")
                    }
                }))
            } else {
                var assignment: [TopicPartition] = []
                for topic in try await admin.describeTopics(topics) {
                    let all = topic.partitions.map(\.partition)
                    for partition in partitions where !all.contains(partition) {
                        throw CommandFailure(message: "topic \(topic.name) has no partition \(partition) (it has \(all.count))")
                    }
                    assignment += (partitions.isEmpty ? all : partitions).map { TopicPartition(topic.name, $0) }
                }
                try await consumer.assign(assignment)
                try await shared.assigned(assignment, consumer: consumer)
            }
            try await loop(consumer: consumer, shared: shared, printer: printer, subscribing: subscribing)
        } catch {
            printer.out.flush()
            await consumer.close()
            await admin.close()
            throw error
        }
        printer.out.flush()
        await consumer.close()
        await admin.close()
        if printer.failures > 0 {
            throw CommandFailure(message: "\(printer.failures) record\(printer.failures == 1 ? "" : "s") could not be decoded")
        }
    }

    private func loop(consumer: KafkaConsumer, shared: Shared, printer: RecordPrinter, subscribing: Bool) async throws {
        var printed = 0
        while !InterruptFlag.shared.load(ordering: .relaxed) {
            if exitAtEnd && atEnd(consumer: consumer, shared: shared, subscribing: subscribing) { return }
            let records = try await consumer.poll(maxRecords: count.map { min(500, $0 - printed) }, timeout: .milliseconds(500))
            for record in records {
                await printer.print(record)
                printed += 1
                if let count, printed >= count { return }
            }
            if records.isEmpty { printer.out.flush() }
        }
    }

    /// Whether every assigned partition's position has reached the end it had when assigned.
    private func atEnd(consumer: KafkaConsumer, shared: Shared, subscribing: Bool) -> Bool {
        let assignment = consumer.assignment
        if assignment.isEmpty { return !subscribing }
        let ends = shared.ends.withLock { $0 }
        for partition in assignment {
            guard let end = ends[partition] else { return false }
            guard let position = consumer.position(partition) else {
                if end == 0 { continue }
                return false
            }
            if position < end { return false }
        }
        return true
    }

    /// Ctrl-C (SIGINT) and SIGTERM end the loop so the consumer commits and leaves its group.
    static func watchInterrupt() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                // A second signal exits at once.
                if InterruptFlag.shared.exchange(true, ordering: .relaxed) { exit(130) }
            }
            source.resume()
            InterruptFlag.keep(source)
        }
    }
}

/// The process-wide interrupt flag of `consume` (signal handlers are process-wide too).
enum InterruptFlag {
    static let shared = Atomic<Bool>(false)
    /// The signal sources live as long as the process.
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Called only from `watchInterrupt`, once per command, before any concurrency starts.
    static func keep(_ source: DispatchSourceSignal) { sources.append(source) }
}
