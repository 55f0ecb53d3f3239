// ProtocolGen: writes KafkaProtocol's message types from Apache Kafka's JSON message specs.
// Usage: ProtocolGen <specs folder> <output folder>   (the Makefile's `make generate`)
import Foundation
import ProtocolGenCore

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: ProtocolGen <kafka-messages folder> <output folder>\n".utf8))
    exit(2)
}
do {
    let files = try Generator.generate(specsDirectory: arguments[1])
    try Generator.write(files, to: arguments[2])
    print("ProtocolGen: wrote \(files.count) files to \(arguments[2])")
} catch {
    FileHandle.standardError.write(Data("ProtocolGen: \(error)\n".utf8))
    exit(1)
}
