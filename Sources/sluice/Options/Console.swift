import ArgumentParser
import Foundation
import KafkaClient
import Serde

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the client commands write: results to stdout (buffered, since a consumer may print
/// millions of lines), diagnostics to stderr (unbuffered, so they interleave correctly).
enum Console {
    /// Writes one diagnostic line to stderr.
    static func diagnostic(_ message: String) {
        let line = Array((message + "\n").utf8)
        line.withUnsafeBytes { _ = systemWrite(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    /// Whether a file descriptor is a terminal (progress bars only go to terminals).
    static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// Runs a client command's body: Kafka, registry and serde errors are printed as
    /// `error: ...` on stderr and end the command with exit code 1.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as KafkaClientError {
            diagnostic("error: \(error)")
            throw ExitCode.failure
        } catch let error as SchemaRegistryError {
            diagnostic("error: registry: \(error)")
            throw ExitCode.failure
        } catch let error as SerdeError {
            diagnostic("error: \(error)")
            throw ExitCode.failure
        } catch let error as LineReader.TooLong {
            diagnostic("error: \(error)")
            throw ExitCode.failure
        } catch let error as CommandFailure {
            diagnostic("error: \(error.message)")
            throw ExitCode(error.exitCode)
        }
    }
}

/// A failure a command reports itself (not a usage error): printed as `error: <message>`.
struct CommandFailure: Error {
    var message: String
    var exitCode: Int32 = 1
}

/// Buffered writes to stdout.
final class OutputBuffer {
    private var bytes: [UInt8] = []
    private let limit: Int
    private let descriptor: Int32

    init(descriptor: Int32 = STDOUT_FILENO, limit: Int = 64 << 10) {
        self.descriptor = descriptor
        self.limit = limit
        bytes.reserveCapacity(limit + 4096)
    }

    func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        if bytes.count >= limit { flush() }
    }

    func append(bytes more: some Sequence<UInt8>) {
        bytes.append(contentsOf: more)
        if bytes.count >= limit { flush() }
    }

    func line(_ text: String) {
        append(text)
        append("\n")
    }

    func flush() {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                // The reader went away (a closed pipe): nothing more can be shown.
                bytes.removeAll(keepingCapacity: true)
                return
            }
            offset += written
        }
        bytes.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}

/// `--output text|json` of the commands whose results scripts read.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// Aligned columns for people.
    case text
    /// One JSON document (or one per record for `consume`) with stable keys.
    case json
}

/// Columns aligned on the widest cell, like kafka-consumer-groups and rpk print them.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: String...) { self.header = header }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func format(_ row: [String]) -> String {
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([format(header)] + rows.map(format)).joined(separator: "\n")
    }
}
