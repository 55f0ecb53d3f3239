import Foundation
import KafkaProtocol
import Testing
@testable import LogStore

/// kill -9 at random moments while a child process appends with the fsync policy: every batch
/// it acknowledged must be there, intact, after reopening.
@Suite struct CrashTests {
    /// The tool is built next to the test bundle (`swift build --build-tests` builds it).
    private var toolPath: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("sluice-logstore-tool").path
    }

    private struct Acknowledged: Hashable {
        var offset: Int64
        var sequence: Int
        var checksum: UInt32
    }

    /// Starts the child, lets it run for `milliseconds` after its first acknowledgement, kills
    /// it with SIGKILL, and returns the acknowledgements it printed in full.
    private func runAndKill(directory: String, milliseconds: Int) throws -> [Acknowledged] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: toolPath)
        process.arguments = ["append-loop", "--dir", directory, "--fsync"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let started = Date()
        var firstAck: Date?
        while Date().timeIntervalSince(started) < 30 {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if firstAck == nil, text.contains("ACK ") { firstAck = Date() }
            if let firstAck, Date().timeIntervalSince(firstAck) * 1000 >= Double(milliseconds) { break }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        text += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        // Only complete lines count: a line cut by the kill was never a full acknowledgement.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        return lines.compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 4, fields[0] == "ACK", let offset = Int64(fields[1]), let sequence = Int(fields[2]),
                  let checksum = UInt32(fields[3]) else { return nil }
            return Acknowledged(offset: offset, sequence: sequence, checksum: checksum)
        }
    }

    @Test func everyAcknowledgedBatchSurvivesKill9() throws {
        try #require(FileManager.default.isExecutableFile(atPath: toolPath), "build sluice-logstore-tool first: \(toolPath)")
        let directory = TemporaryDirectory()
        var acknowledged: [Acknowledged] = []
        for round in 0..<10 {
            let acks = try runAndKill(directory: directory.path, milliseconds: Int.random(in: 0...150))
            #expect(!acks.isEmpty, "round \(round) acknowledged nothing")
            acknowledged += acks

            // Reopen as after a crash and check every acknowledged batch so far (and, below, every
            // CRC): alternately with the full scan and with the tail check that a start in the
            // same boot uses, which is what a killed process calls for.
            let log = try PartitionLog.open(topic: "crash", partition: 0, directory: directory.file("crash-0"),
                                            configuration: LogConfiguration(), cleanShutdown: false,
                                            pageCacheSurvived: round % 2 == 1, files: FileHandleCache(capacity: 16), logger: testLogger).0
            var found: [Int64: (sequence: Int, checksum: UInt32)] = [:]
            var offset: Int64 = 0
            while offset < log.logEndOffset {
                let bytes = try log.read(from: offset, maxBytes: 1 << 20).slices[0].bytes()
                var position = 0
                while position + RecordBatchHeader.size <= bytes.count {
                    // A fetch may end inside a batch (the byte limit); consumers skip that part.
                    let length = bytes[position...].withUnsafeBytes { RecordBatchHeader(parsing: $0)!.totalSize }
                    guard position + length <= bytes.count else { break }
                    let header = try bytes[position...].withUnsafeBytes { raw throws(RecordBatchError) in
                        try RecordBatchHeader.validate(raw)
                    }
                    let records = try RecordReader.readAll(records: Array(bytes[(position + 61)..<(position + header.totalSize)]), count: header.recordsCount)
                    let value = records[0].value ?? []
                    let sequence = Int(String(decoding: value.prefix(30), as: UTF8.self).split(separator: " ")[1]) ?? -1
                    found[header.baseOffset] = (sequence, CRC32C.checksum(of: value))
                    offset = header.lastOffset + 1
                    position += header.totalSize
                }
            }
            for ack in acknowledged {
                let stored = found[ack.offset]
                #expect(stored?.checksum == ack.checksum, "round \(round): acknowledged offset \(ack.offset) is missing or damaged")
            }
        }
        #expect(Set(acknowledged.map(\.offset)).count == acknowledged.count, "no offset was handed out twice")
    }
}
