import ArgumentParser
import Foundation
import OrderedJSON
import Serde

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lines of an export, one JSON document each:
/// - a schema version: the registry's Schema entity (`subject`, `version`, `id`, `guid`,
///   `schemaType`, `references`, `schema`, and `deleted: true` for a soft-deleted version);
/// - a subject's own compatibility level: `{"subject": ..., "compatibility": ...}`.
/// Versions come in id order, so a referenced schema always precedes the ones that use it.
struct SchemaExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every subject version (JSON lines), soft-deleted ones too, for `sluice schema import`.")
    @OptionGroup var registry: RegistryOptions
    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.") var file: String?
    @Flag(name: .customLong("live-only"), help: "Leave out soft-deleted versions.") var liveOnly = false

    func run() async throws {
        try await runSchemaCommand {
            let client = try registry.client()
            var versions: [RegisteredSchema] = []
            var configs: [JSONValue] = []
            for subject in try await client.subjects(deleted: !liveOnly) {
                let live = Set(try await client.versions(subject: subject, deleted: false).map { $0 })
                let all = liveOnly ? live.sorted() : try await client.versions(subject: subject, deleted: true)
                for number in all {
                    var entry = try await client.version(subject: subject, version: number, deleted: true)
                    entry.deleted = !live.contains(number)
                    versions.append(entry)
                }
                do {
                    let config = try await client.config(subject: subject, defaultToGlobal: false)
                    if let level = config["compatibilityLevel"]?.stringValue {
                        configs.append(.object([("subject", .string(subject)), ("compatibility", .string(level))]))
                    }
                } catch let error as SchemaRegistryError where error.errorCode == 40408 || error.errorCode == 40401 {
                    // The subject follows the global level.
                }
            }
            versions.sort { ($0.id, $0.subject ?? "", $0.version ?? 0) < ($1.id, $1.subject ?? "", $1.version ?? 0) }
            var text = ""
            for entry in versions { text += entry.json.compactText + "\n" }
            for config in configs { text += config.compactText + "\n" }
            if let file {
                guard FileManager.default.createFile(atPath: file, contents: Data(text.utf8)) else {
                    throw SchemaCommandFailure(message: "cannot write \(file)")
                }
                printError("exported \(versions.count) versions of \(Set(versions.compactMap(\.subject)).count) subjects to \(file)")
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }
}

/// Replays an export into a registry in IMPORT mode, keeping ids and versions; soft-deleted
/// versions are registered, then soft-deleted again. The global mode is restored afterwards.
struct SchemaImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Replay `sluice schema export` lines (ids and versions kept) through IMPORT mode.")
    @OptionGroup var registry: RegistryOptions
    @Argument(help: "The export file; standard input when absent.") var file: String?
    @Flag(help: "Switch to IMPORT even though the registry already has subjects.") var force = false

    func run() async throws {
        try await runSchemaCommand {
            let data: Data
            if let file {
                guard let contents = FileManager.default.contents(atPath: file) else { throw SchemaCommandFailure(message: "cannot read \(file)") }
                data = contents
            } else {
                data = FileHandle.standardInput.readDataToEndOfFile()
            }
            var entries: [(line: Int, schema: RegisteredSchema)] = []
            var configs: [(subject: String, level: CompatibilityLevel)] = []
            for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let text = line.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { continue }
                let json: JSONValue
                do {
                    json = try JSONParser.parse(text)
                } catch {
                    throw SchemaCommandFailure(message: "line \(index + 1): not JSON: \(error)")
                }
                if json["schema"] == nil, let subject = json["subject"]?.stringValue, let name = json["compatibility"]?.stringValue {
                    guard let level = CompatibilityLevel(name: name) else { throw SchemaCommandFailure(message: "line \(index + 1): unknown level \(name)") }
                    configs.append((subject, level))
                    continue
                }
                do {
                    let schema = try RegisteredSchema(exported: json)
                    guard schema.subject != nil, schema.version != nil else {
                        throw SchemaCommandFailure(message: "line \(index + 1): a version needs subject, version, id and schema")
                    }
                    entries.append((index + 1, schema))
                } catch let error as SchemaRegistryError {
                    throw SchemaCommandFailure(message: "line \(index + 1): \(error)")
                }
            }

            let client = try registry.client()
            let previousMode = try await client.mode()
            try await client.setMode(.import, force: force)
            let progress = ImportProgress(total: entries.count)
            var failure: Error?
            do {
                for (line, entry) in entries {
                    do {
                        _ = try await client.importSchema(subject: entry.subject!, schema: entry.schema, id: entry.id, version: entry.version!)
                        if entry.deleted { try await client.deleteVersion(subject: entry.subject!, version: String(entry.version!)) }
                    } catch {
                        throw SchemaCommandFailure(message: "line \(line) (\(entry.subject!) version \(entry.version!), id \(entry.id)): \(error)")
                    }
                    progress.advance()
                }
                for config in configs { try await client.setCompatibility(config.level, subject: config.subject) }
            } catch {
                failure = error
            }
            progress.finish()
            // Leave the registry writable again even after a failed line.
            try await client.setMode(previousMode == .import ? .readWrite : previousMode)
            if let failure { throw failure }
            if registry.output == .json {
                printJSON(.object([("versions", .number(String(entries.count))), ("configs", .number(String(configs.count)))]))
            } else {
                print("imported \(entries.count) versions of \(Set(entries.compactMap(\.schema.subject)).count) subjects"
                      + (configs.isEmpty ? "" : " and \(configs.count) subject levels"))
            }
        }
    }
}

/// A one-line counter on stderr, only when stderr is a terminal (quiet in pipes and files).
final class ImportProgress {
    let total: Int
    let enabled: Bool
    private var done = 0
    private var lastPrinted = ContinuousClock.now

    init(total: Int) {
        self.total = total
        enabled = isatty(STDERR_FILENO) == 1 && total > 0
    }

    func advance() {
        done += 1
        guard enabled else { return }
        let now = ContinuousClock.now
        guard done == total || lastPrinted.duration(to: now) > .milliseconds(100) else { return }
        lastPrinted = now
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\rimporting [\(bar)] \(done)/\(total)".utf8))
    }

    func finish() {
        if enabled && done > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
