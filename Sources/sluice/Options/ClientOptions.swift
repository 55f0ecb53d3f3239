import ArgumentParser
import Foundation
import KafkaClient

/// The options every client command shares: where the cluster and the registry are, and the
/// profile file that can name both. Each setting is taken from the first of: the flag, the
/// environment variable, the profile, the default.
///
/// | setting | flag | environment | profile key | default |
/// |---|---|---|---|---|
/// | brokers | `--bootstrap` | `SLUICE_BOOTSTRAP` | `bootstrap` (or `bootstrap.servers`) | `127.0.0.1:9092` |
/// | registry | `--registry` | `SLUICE_REGISTRY` | `registry` (or `schema.registry.url`) | `http://127.0.0.1:8081` |
/// | client id | `--client-id` | `SLUICE_CLIENT_ID` | `client.id` | `sluice-cli` |
/// | profile file | `--profile` | `SLUICE_PROFILE` | - | `~/.config/sluice/profile` |
struct ClientOptions: ParsableArguments {
    static let defaultBootstrap = "127.0.0.1:9092"
    static let defaultRegistry = "http://127.0.0.1:8081"
    static let defaultClientID = "sluice-cli"

    @Option(help: ArgumentHelp(
        "Brokers to bootstrap from, comma-separated (env SLUICE_BOOTSTRAP, profile key bootstrap; default \(defaultBootstrap)).",
        valueName: "host:port,..."))
    var bootstrap: String?

    @Option(help: ArgumentHelp(
        "Schema registry URL (env SLUICE_REGISTRY, profile key registry; default \(defaultRegistry)).",
        valueName: "url"))
    var registry: String?

    @Option(help: ArgumentHelp(
        "Profile file of key=value lines (env SLUICE_PROFILE; default ~/.config/sluice/profile if it exists).",
        valueName: "file"))
    var profile: String?

    @Option(name: .customLong("client-id"), help: ArgumentHelp("client.id sent to the brokers (default \(defaultClientID)).", valueName: "id"))
    var clientID: String?

    /// The settings after precedence is applied.
    struct Resolved: Equatable {
        var bootstrap: String
        var registry: String
        var clientID: String
        /// The profile file that was read, if any.
        var profileFile: String?
    }

    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Resolved {
        let explicit = profile ?? environment["SLUICE_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
        let path = explicit ?? Profile.defaultPath(environment: environment)
        var loaded = Profile()
        var used: String?
        if let path {
            if FileManager.default.fileExists(atPath: path) {
                do {
                    loaded = try Profile.load(path: path)
                } catch {
                    throw ValidationError("\(error)")
                }
                used = path
            } else if explicit != nil {
                throw ValidationError("profile file \(path) does not exist")
            }
        }
        func pick(_ flag: String?, _ variable: String, _ fromProfile: String?, _ fallback: String) -> String {
            if let flag { return flag }
            if let value = environment[variable], !value.isEmpty { return value }
            return fromProfile ?? fallback
        }
        return Resolved(
            bootstrap: pick(bootstrap, "SLUICE_BOOTSTRAP", loaded.bootstrap, Self.defaultBootstrap),
            registry: pick(registry, "SLUICE_REGISTRY", loaded.registry, Self.defaultRegistry),
            clientID: pick(clientID, "SLUICE_CLIENT_ID", loaded.clientID, Self.defaultClientID),
            profileFile: used)
    }

    /// The Kafka client configuration for the resolved brokers.
    func clientConfiguration() throws -> KafkaClientConfiguration {
        let settings = try resolve()
        var configuration = KafkaClientConfiguration(bootstrap: settings.bootstrap)
        configuration.clientID = settings.clientID
        // A CLI user waits for an answer; a dead broker should say so in seconds, not minutes.
        configuration.connectTimeout = .seconds(5)
        configuration.requestTimeout = .seconds(30)
        return configuration
    }
}

/// A profile file, like rpk's profiles: `key=value` lines, `#` comments, blank lines ignored.
///
/// ```
/// # ~/.config/sluice/profile
/// bootstrap=broker1:9092,broker2:9092
/// registry=http://registry:8081
/// client.id=ops-laptop
/// ```
struct Profile: Equatable {
    var bootstrap: String?
    var registry: String?
    var clientID: String?

    /// A profile problem, reported like a usage error (exit 64) with the file and line.
    struct Error: Swift.Error, CustomStringConvertible, LocalizedError {
        var errorDescription: String? { description }
        var description: String
    }

    /// `$XDG_CONFIG_HOME/sluice/profile`, else `~/.config/sluice/profile`.
    static func defaultPath(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/sluice/profile" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.config/sluice/profile"
    }

    static func load(path: String) throws -> Profile {
        guard let data = FileManager.default.contents(atPath: path) else { throw Error(description: "cannot read profile file \(path)") }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }

    static func parse(_ text: String, source: String) throws -> Profile {
        var profile = Profile()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw Error(description: "\(source):\(index + 1): expected key=value, found \"\(line)\"")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "bootstrap", "bootstrap.servers", "brokers": profile.bootstrap = value
            case "registry", "schema.registry.url", "registry.url": profile.registry = value
            case "client.id", "client-id": profile.clientID = value
            default:
                throw Error(description: "\(source):\(index + 1): unknown key \"\(key)\" (known: bootstrap, registry, client.id)")
            }
        }
        return profile
    }
}
