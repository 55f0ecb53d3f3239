import Foundation

/// A `host:port` listen or advertise address, as given on the command line or in a config file.
///
/// Kafka's `listeners` form (`PLAINTEXT://host:port`) is accepted too, so an existing broker
/// config line can be reused; the scheme is ignored because Sluice has one plaintext listener.
public struct HostAndPort: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `[ipv6]:port` or `SCHEME://host:port`.
    /// - Throws: ``ConfigurationError`` naming the text and what is wrong with it.
    public init(parsing text: String, setting: String) throws {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
        }
        let hostPart: Substring
        let portPart: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix(":") else {
                throw ConfigurationError(setting: setting, value: text, reason: "expected [ipv6-address]:port")
            }
            hostPart = rest[rest.index(after: rest.startIndex)..<close]
            portPart = rest[rest.index(close, offsetBy: 2)...]
        } else {
            guard let colon = rest.lastIndex(of: ":") else {
                throw ConfigurationError(setting: setting, value: text, reason: "expected host:port")
            }
            hostPart = rest[..<colon]
            portPart = rest[rest.index(after: colon)...]
        }
        guard let port = Int(portPart), (0...65_535).contains(port) else {
            throw ConfigurationError(setting: setting, value: text, reason: "the port must be a number from 0 to 65535")
        }
        self.host = hostPart.isEmpty ? "0.0.0.0" : String(hostPart)
        self.port = port
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
