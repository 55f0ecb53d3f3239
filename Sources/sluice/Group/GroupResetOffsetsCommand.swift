import ArgumentParser
import KafkaClient
import OrderedJSON

struct GroupResetOffsetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-offsets",
        abstract: "Move a group's committed offsets (prints the plan; --execute applies it).",
        discussion: """
            As kafka-consumer-groups --reset-offsets: without --execute the new offsets are \
            only printed (--dry-run is the default and may be said explicitly). The group \
            must have no active members. New offsets are kept between each partition's \
            earliest and latest offset.

            Which partitions: --topic orders (every partition), --topic orders:0,2 (some), \
            repeatable, or --all-topics (every topic the group has committed offsets for).

            Where to (exactly one): --to-earliest, --to-latest, --to-offset N, \
            --to-datetime T (ISO-8601, or @MS; the first record at or after it, the end when \
            none), --shift-by N (from the committed offset, negative goes back).

            --output json prints the plan as
              [{"topic":"orders","partition":0,"current_offset":10,"new_offset":0}]

            Examples:
              sluice group reset-offsets billing --topic orders --to-earliest
              sluice group reset-offsets billing --topic orders --to-datetime 2026-12-03T00:00:00Z --execute
              sluice group reset-offsets billing --all-topics --shift-by -10 --execute
            """)

    @OptionGroup var client: ClientOptions
    @Argument(help: "The group id.") var group: String
    @Option(name: .customLong("topic"), help: ArgumentHelp("A topic, or topic:p1,p2 for some partitions; repeatable.", valueName: "topic[:partitions]"))
    var topics: [String] = []
    @Flag(help: "Every topic the group has committed offsets for.") var allTopics = false
    @Flag(help: "To each partition's first offset.") var toEarliest = false
    @Flag(help: "To each partition's end.") var toLatest = false
    @Option(help: "To this offset.") var toOffset: Int64?
    @Option(help: ArgumentHelp("To the first record at or after this time (ISO-8601 or @MS).", valueName: "time")) var toDatetime: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("By this many offsets from the committed one (negative: back).", valueName: "n")) var shiftBy: Int64?
    @Flag(help: "Print the plan without applying it (the default).") var dryRun = false
    @Flag(help: "Apply the plan.") var execute = false
    @Option(help: "text or json.") var output: OutputFormat = .text

    enum Target {
        case earliest, latest, offset(Int64), time(Int64), shift(Int64)
    }

    func target() throws -> Target {
        var targets: [Target] = []
        if toEarliest { targets.append(.earliest) }
        if toLatest { targets.append(.latest) }
        if let toOffset { targets.append(.offset(toOffset)) }
        if let shiftBy { targets.append(.shift(shiftBy)) }
        if let toDatetime {
            let position: StartPosition
            do { position = try StartPosition(parsing: toDatetime) } catch let error as CommandFailure { throw ValidationError(error.message) }
            guard case .timestamp(let ms) = position else { throw ValidationError("--to-datetime expects an ISO-8601 time or @MS, got \"\(toDatetime)\"") }
            targets.append(.time(ms))
        }
        guard targets.count == 1, let target = targets.first else {
            throw ValidationError("give exactly one of --to-earliest, --to-latest, --to-offset, --to-datetime and --shift-by")
        }
        return target
    }

    func validate() throws {
        _ = try target()
        if dryRun && execute { throw ValidationError("--dry-run and --execute contradict each other") }
        if topics.isEmpty == !allTopics { throw ValidationError("give --topic (repeatable) or --all-topics") }
    }

    func run() async throws {
        let target = try target()
        try await client.withAdmin { admin in
            let committed = try await admin.committedOffsets(group)
            let partitions = try await selectedPartitions(admin: admin, committed: committed)
            guard !partitions.isEmpty else { throw CommandFailure(message: "group \(group) has no partitions to reset (no committed offsets)") }
            let earliest = try await admin.offsets(partitions, at: .earliest)
            let latest = try await admin.offsets(partitions, at: .latest)
            var times: [TopicPartition: Int64] = [:]
            if case .time(let ms) = target { times = try await admin.offsets(partitions, at: .timestamp(ms)) }
            var plan: [TopicPartition: Int64] = [:]
            for partition in partitions {
                let low = earliest[partition] ?? 0
                let high = latest[partition] ?? 0
                let wanted: Int64
                switch target {
                case .earliest: wanted = low
                case .latest: wanted = high
                case .offset(let offset): wanted = offset
                case .time: wanted = (times[partition] ?? -1) >= 0 ? times[partition]! : high
                case .shift(let by): wanted = (committed[partition] ?? low) + by
                }
                plan[partition] = min(max(wanted, low), high)
            }
            if execute {
                if let description = try await admin.describeGroups([group]).first, !description.members.isEmpty {
                    throw CommandFailure(message: "group \(group) has \(description.members.count) active member(s) (state \(description.state)); stop its consumers before resetting offsets")
                }
                try await admin.resetOffsets(group, to: plan)
            }
            print(render(plan: plan, committed: committed))
            if !execute && output == .text { print("(dry run: nothing changed; add --execute to apply)") }
        }
    }

    private func render(plan: [TopicPartition: Int64], committed: [TopicPartition: Int64]) -> String {
        let rows = plan.keys.sorted()
        switch output {
        case .json:
            return JSONValue.array(rows.map { partition in
                .object([("topic", .string(partition.topic)), ("partition", JSONOut.int(partition.partition)),
                         ("current_offset", JSONOut.int(committed[partition])), ("new_offset", JSONOut.int(plan[partition]!))])
            }).compactText
        case .text:
            var table = TextTable("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET")
            for partition in rows {
                table.add([group, partition.topic, String(partition.partition), committed[partition].map(String.init) ?? "-", String(plan[partition]!)])
            }
            return table.render()
        }
    }

    private func selectedPartitions(admin: KafkaAdmin, committed: [TopicPartition: Int64]) async throws -> [TopicPartition] {
        if allTopics { return committed.keys.sorted() }
        var result: [TopicPartition] = []
        for entry in topics {
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            let topic = parts[0]
            let all = try await admin.describeTopics([topic])[0].partitions.map(\.partition)
            if parts.count == 2 {
                for item in parts[1].split(separator: ",") {
                    guard let partition = Int32(item), all.contains(partition) else {
                        throw CommandFailure(message: "topic \(topic) has no partition \(item) (it has \(all.count))", exitCode: 2)
                    }
                    result.append(TopicPartition(topic, partition))
                }
            } else {
                result += all.map { TopicPartition(topic, $0) }
            }
        }
        return Array(Set(result)).sorted()
    }
}
