/// A request or response that cannot be decoded or encoded, saying which field of which
/// message at which version failed and why.
public struct KafkaProtocolError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: Sendable, Equatable {
        /// Fewer bytes than a field needs.
        case truncated
        /// A length or count that is negative, too large for the bytes left, or over a limit.
        case invalidLength
        /// A value that cannot be what it claims (bad UTF-8, a varint too long).
        case invalidValue
        /// The version is outside the message's valid versions, or a field set to a
        /// non-default value does not exist in the version being encoded.
        case unsupportedVersion
        /// Bytes left over after a message that should have consumed them all.
        case trailingBytes
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
