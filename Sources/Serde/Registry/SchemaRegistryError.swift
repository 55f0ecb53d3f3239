/// A registry call that failed: the registry's own answer (with its `error_code`), no answer at
/// all after the retries, or an answer that could not be read.
public enum SchemaRegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The registry answered with an error. `errorCode` is its `error_code` (40401, 42201, ...),
    /// or -1 when the body was not Confluent's error JSON (as confluent-kafka-python reports it).
    case registry(httpStatus: Int, errorCode: Int, message: String, request: String)
    /// No URL answered (connection refused, timeout) after every attempt.
    case unreachable(request: String, attempts: Int, reason: String)
    /// The answer was not the JSON the call expects.
    case invalidResponse(request: String, reason: String)

    /// The registry's `error_code`, when it answered.
    public var errorCode: Int? {
        if case .registry(_, let code, _, _) = self { return code }
        return nil
    }

    /// The HTTP status, when the registry answered.
    public var httpStatus: Int? {
        if case .registry(let status, _, _, _) = self { return status }
        return nil
    }

    /// The registry's message, when it answered.
    public var message: String? {
        if case .registry(_, _, let message, _) = self { return message }
        return nil
    }

    public var description: String {
        switch self {
        case .registry(let status, let code, let message, let request):
            return "\(request): HTTP \(status), error_code \(code): \(message)"
        case .unreachable(let request, let attempts, let reason):
            return "\(request): the registry did not answer after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(reason)"
        case .invalidResponse(let request, let reason):
            return "\(request): unexpected answer: \(reason)"
        }
    }
}
