/// A configuration value (flag or config-file line) that Sluice cannot use.
///
/// The message names the setting, the value and what is wrong, and for config files the file and
/// line, so that the operator can fix it without guessing.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var setting: String
    public var value: String?
    public var reason: String
    public var location: String?

    public init(setting: String, value: String?, reason: String, location: String? = nil) {
        self.setting = setting
        self.value = value
        self.reason = reason
        self.location = location
    }

    public var description: String {
        var text = location.map { "\($0): " } ?? ""
        if let value {
            text += "invalid value '\(value)' for '\(setting)': \(reason)"
        } else {
            text += "'\(setting)': \(reason)"
        }
        return text
    }
}
