import Foundation

/// Reads the served specs from a folder and returns the Swift file of each, by file name.
public enum Generator {
    public static func generate(specsDirectory: String) throws -> [String: String] {
        var output: [String: String] = [:]
        for name in ServedMessages.files {
            let path = (specsDirectory as NSString).appendingPathComponent("\(name).json")
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw SpecError("cannot read \(path)")
            }
            let spec = try MessageSpec(json: text, file: "\(name).json")
            var emitter = SwiftEmitter(spec: spec, file: "\(name).json")
            output["\(SwiftNaming.type(spec.name)).swift"] = try emitter.emit()
        }
        return output
    }

    /// Writes the files into `outputDirectory`, removing generated files no longer produced.
    public static func write(_ files: [String: String], to outputDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: outputDirectory)) ?? []
        for name in existing where name.hasSuffix(".swift") && files[name] == nil {
            try FileManager.default.removeItem(atPath: (outputDirectory as NSString).appendingPathComponent(name))
        }
        for (name, text) in files {
            try text.write(toFile: (outputDirectory as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }
}
