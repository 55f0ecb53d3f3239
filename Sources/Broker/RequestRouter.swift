import KafkaProtocol
import Logging
import NIOCore

/// Decodes a request frame's header, finds the API, runs its handler and frames the response.
/// A frame that cannot be understood fails the future, and the connection is closed: the
/// client's later requests could not be matched to responses anyway.
public final class RequestRouter: Sendable {
    let endpoints: [Int16: APIEndpoint]
    let logger: Logger

    public init(broker: Broker, logger: Logger) {
        self.logger = logger
        var table: [Int16: APIEndpoint] = [:]
        for endpoint in broker.endpoints() { table[endpoint.apiKey] = endpoint }
        self.endpoints = table
    }

    /// The advertised APIs, for ApiVersions.
    var advertised: [APIEndpoint] { endpoints.values.sorted { $0.apiKey < $1.apiKey } }

    func route(_ frame: inout ByteBuffer, peer: String, eventLoop: any EventLoop) -> EventLoopFuture<OutgoingFrame?> {
        do {
            guard let apiKey = frame.getInteger(at: frame.readerIndex, as: Int16.self),
                  let version = frame.getInteger(at: frame.readerIndex + 2, as: Int16.self) else {
                throw KafkaProtocolError(.truncated, "a request shorter than its header")
            }
            guard let endpoint = endpoints[apiKey] else {
                throw KafkaProtocolError(.unsupportedVersion, "unknown or unsupported API key \(apiKey)")
            }
            if !endpoint.specVersions.contains(version) {
                guard apiKey == 18 else {
                    throw KafkaProtocolError(.unsupportedVersion, "\(endpoint.name) version \(version) is not supported")
                }
                // A newer ApiVersions than we know: answer v0 with UNSUPPORTED_VERSION and our
                // table, the way clients expect to discover the range (header v0 is all we read).
                let header = try RequestHeader(from: &frame, version: 1)
                return eventLoop.makeSucceededFuture(OutgoingFrame(apiVersionsFallback(ResponseFraming(correlationID: header.correlationID, headerVersion: 0))))
            }
            let header = try RequestHeader(from: &frame, version: endpoint.isRequestFlexible(version) ? 2 : 1)
            let context = RequestContext(header: header, eventLoop: eventLoop, peer: peer)
            let headerVersion = endpoint.responseHeaderVersion(version)
            return try endpoint.handle(&frame, context, ResponseFraming(correlationID: header.correlationID, headerVersion: headerVersion))
        } catch {
            logger.warning("bad request", metadata: ["peer": "\(peer)", "error": "\(error)"])
            return eventLoop.makeFailedFuture(error)
        }
    }

    private func apiVersionsFallback(_ framing: ResponseFraming) -> ByteBuffer {
        var response = ApiVersionsResponse()
        response.errorCode = KafkaErrorCode.unsupportedVersion.rawValue
        response.apiKeys = Broker.apiVersionEntries(advertised)
        var frame = framing.begin(capacity: 1024)
        try? response.encode(into: &frame, version: 0)
        framing.finish(&frame)
        return frame
    }
}
