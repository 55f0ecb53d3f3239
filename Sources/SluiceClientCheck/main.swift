// sluice-client-check: drives KafkaClient from the command line for the interop tests and
// scripts/bench-client.sh. Records go in and out as tab-separated hex, so tests compare bytes:
//
//   produce: stdin lines `keyhex<TAB>valuehex<TAB>headers` ("-" for null; headers `name=hex,name=hex`);
//            prints `partition<TAB>offset` per record. Without --input and with --count it
//            produces --count records of --size bytes and prints one RESULT line (the benchmark).
//   consume: prints `partition<TAB>offset<TAB>timestamp<TAB>keyhex<TAB>valuehex<TAB>headers`
//            per record until --count records or --idle-ms without one; --quiet prints only RESULT.
//   admin:   create-topic, delete-topic, describe-topic, describe-cluster, list-groups, describe-group.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KafkaClient

struct Options {
    var values: [String: String] = [:]
    var positional: [String] = []

    init(_ arguments: ArraySlice<String>) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            if argument.hasPrefix("--") {
                values[String(argument.dropFirst(2))] = iterator.next() ?? ""
            } else {
                positional.append(argument)
            }
        }
    }

    subscript(_ name: String) -> String? { values[name] }
    func int(_ name: String, _ fallback: Int) -> Int { values[name].flatMap { Int($0) } ?? fallback }
}

/// Writes a line to stderr (unbuffered, so tests see progress lines at once).
func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
    fflush(nil)
    printError("sluice-client-check: \(message)")
    exit(2)
}

func hex(_ bytes: [UInt8]?) -> String {
    guard let bytes else { return "-" }
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 15)])
    }
    return String(decoding: out, as: UTF8.self)
}

func unhex(_ text: Substring) -> [UInt8]? {
    if text == "-" { return nil }
    let utf8 = Array(text.utf8)
    guard utf8.count % 2 == 0 else { fail("odd-length hex '\(text)'") }
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        case 65...70: c - 55
        default: fail("bad hex digit in '\(text)'")
        }
    }
    return stride(from: 0, to: utf8.count, by: 2).map { nibble(utf8[$0]) << 4 | nibble(utf8[$0 + 1]) }
}

func headersText(_ headers: [RecordHeader]) -> String {
    headers.map { "\($0.key)=\(hex($0.value))" }.joined(separator: ",")
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("usage: sluice-client-check produce|consume|admin --bootstrap HOST:PORT ...") }
let options = Options(arguments.dropFirst(2))
let bootstrap = options["bootstrap"] ?? "127.0.0.1:9092"

switch arguments[1] {
case "produce": try await runProduce(options, bootstrap: bootstrap)
case "consume": try await runConsume(options, bootstrap: bootstrap)
case "admin": try await runAdmin(options, bootstrap: bootstrap)
default: fail("unknown mode '\(arguments[1])'")
}
