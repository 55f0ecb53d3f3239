import ArgumentParser
import KafkaClient
import OrderedJSON

/// `sluice group ...`: kafka-consumer-groups.sh and rpk group.
struct GroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group",
        abstract: "List, describe (with lag), delete consumer groups and reset their offsets.",
        discussion: """
            Examples:
              sluice group list
              sluice group describe billing
              sluice group reset-offsets billing --topic orders --to-earliest            # prints the plan
              sluice group reset-offsets billing --topic orders:0,1 --shift-by -100 --execute
              sluice group delete billing
            """,
        subcommands: [GroupListCommand.self, GroupDescribeCommand.self, GroupDeleteCommand.self, GroupResetOffsetsCommand.self])
}

struct GroupListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List consumer groups with their state and protocol type.",
        discussion: """
            --output json: [{"group":"billing","state":"Stable","protocol_type":"consumer"}]
            """)

    @OptionGroup var client: ClientOptions
    @Option(help: "text or json.") var output: OutputFormat = .text

    func run() async throws {
        try await client.withAdmin { admin in
            let groups = try await admin.listGroups()
            let out = OutputBuffer()
            switch output {
            case .json:
                JSONOut.emit(.array(groups.map {
                    .object([("group", .string($0.groupID)), ("state", .string($0.state)), ("protocol_type", .string($0.protocolType))])
                }), to: out)
            case .text:
                var table = TextTable("GROUP", "STATE", "PROTOCOL-TYPE")
                for group in groups { table.add([group.groupID, group.state, group.protocolType]) }
                out.line(table.render())
            }
            out.flush()
        }
    }
}

struct GroupDescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show a group's members and, per partition, its committed offset, the log end and the lag.",
        discussion: """
            The columns of kafka-consumer-groups --describe: GROUP TOPIC PARTITION \
            CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID. A partition without a \
            committed offset shows - for CURRENT-OFFSET and LAG. --output json prints one \
            object per group:

              {"group":"billing","state":"Stable","protocol":"range","members":[{"member_id":...,
               "group_instance_id":null,"client_id":...,"host":...,"assignment":[{"topic":...,"partition":0}]}],
               "partitions":[{"topic":"orders","partition":0,"committed_offset":10,"log_end_offset":12,"lag":2,
               "member_id":...}],"total_lag":2}

            Examples:
              sluice group describe billing
              sluice group describe billing shipping --output json
            """)

    @OptionGroup var client: ClientOptions
    @Argument(help: "Group ids.") var groups: [String]
    @Option(help: "text or json.") var output: OutputFormat = .text

    func run() async throws {
        try await client.withAdmin { admin in
            let out = OutputBuffer()
            for groupID in groups {
                let description = try await admin.describeGroups([groupID]).first
                let lags = try await admin.groupLag(groupID)
                let members = Dictionary((description?.members ?? []).map { ($0.memberID, $0) }, uniquingKeysWith: { a, _ in a })
                let total = lags.compactMap(\.lag).reduce(0, +)
                switch output {
                case .json:
                    JSONOut.emit(.object([
                        ("group", .string(groupID)),
                        ("state", JSONOut.string(description?.state)),
                        ("protocol", JSONOut.string(description?.assignmentStrategy)),
                        ("members", .array((description?.members ?? []).map { member in
                            .object([("member_id", .string(member.memberID)), ("group_instance_id", JSONOut.string(member.groupInstanceID)),
                                     ("client_id", .string(member.clientID)), ("host", .string(member.host)),
                                     ("assignment", .array(member.assignment.map { .object([("topic", .string($0.topic)), ("partition", JSONOut.int($0.partition))]) }))])
                        })),
                        ("partitions", .array(lags.map { lag in
                            .object([("topic", .string(lag.partition.topic)), ("partition", JSONOut.int(lag.partition.partition)),
                                     ("committed_offset", JSONOut.int(lag.committedOffset)), ("log_end_offset", JSONOut.int(lag.endOffset)),
                                     ("lag", JSONOut.int(lag.lag)), ("member_id", JSONOut.string(lag.memberID))])
                        })),
                        ("total_lag", JSONOut.int(total)),
                    ]), to: out)
                case .text:
                    let state = description?.state ?? "Unknown"
                    out.line("Group \(groupID): state \(state), \(members.count) member\(members.count == 1 ? "" : "s"), total lag \(total)")
                    var table = TextTable("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID")
                    for lag in lags {
                        let member = lag.memberID.flatMap { members[$0] }
                        table.add([groupID, lag.partition.topic, String(lag.partition.partition),
                                   lag.committedOffset.map(String.init) ?? "-", String(lag.endOffset), lag.lag.map(String.init) ?? "-",
                                   member?.memberID ?? "-", member?.host ?? "-", member?.clientID ?? "-"])
                    }
                    out.line(table.render())
                    out.line("")
                }
            }
            out.flush()
        }
    }
}

struct GroupDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete consumer groups and their committed offsets (the groups must have no members).",
        discussion: """
            Examples:
              sluice group delete billing
            """)

    @OptionGroup var client: ClientOptions
    @Argument(help: "Group ids.") var groups: [String]

    func run() async throws {
        try await client.withAdmin { admin in
            for group in groups {
                try await admin.deleteGroups([group])
                print("deleted group \(group)")
            }
        }
    }
}
