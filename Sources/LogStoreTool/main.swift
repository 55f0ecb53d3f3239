// sluice-logstore-tool: drives the log store outside the broker, for the crash test and the
// benchmark (`make bench`). Not installed; built with the package.
//
//   sluice-logstore-tool append-loop --dir D [--fsync] [--count N]
//       Appends batches to partition crash-0 under D and prints one line per acknowledged
//       batch: "ACK <baseOffset> <sequence> <crc32c of the value>". With --fsync an append is
//       acknowledged only after fdatasync (group commit). Stops after N batches or 60 s.
//   sluice-logstore-tool bench --dir D [--megabytes M]
//       Prints "RESULT <name> <value>" lines: append and read MB/s, fsync appends/s with 1 and
//       8 writers, CRC-32C GB/s.
import Foundation
import KafkaProtocol
import Logging
import LogStore

func argument(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[index + 1]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

let usage = "usage: sluice-logstore-tool append-loop --dir D [--fsync] [--count N] | bench --dir D [--megabytes M]"
guard CommandLine.arguments.count >= 2 else { fail(usage) }
guard let directory = argument("--dir") else { fail(usage) }
var logger = Logger(label: "sluice-logstore-tool")
logger.logLevel = .warning

switch CommandLine.arguments[1] {
case "append-loop":
    let count = Int(argument("--count") ?? "") ?? 1_000_000
    try await AppendLoop.run(directory: directory, fsync: CommandLine.arguments.contains("--fsync"), count: count, logger: logger)
case "bench":
    let megabytes = Int(argument("--megabytes") ?? "") ?? 512
    try await LogStoreBenchmark.run(directory: directory, megabytes: megabytes, logger: logger)
default:
    fail(usage)
}
