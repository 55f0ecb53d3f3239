import Dispatch
import KafkaProtocol
import Metrics
import NIOCore

/// One API the broker serves: the versions it advertises, how to decode the request, run the
/// handler and encode the response.
struct APIEndpoint: Sendable {
    let name: String
    let apiKey: Int16
    /// What ApiVersions advertises (DESIGN §2.1: only what works end to end).
    let advertised: ClosedRange<Int16>
    /// Every version the request spec defines (a request outside it cannot even be decoded).
    let specVersions: ClosedRange<Int16>
    let requestFirstFlexible: Int16?
    let responseFirstFlexible: Int16?
    let handle: @Sendable (inout ByteBuffer, RequestContext) throws -> EventLoopFuture<ByteBuffer?>

    static func make<Request: KafkaAPIMessage, Response: KafkaAPIMessage>(
        _ name: String, _ request: Request.Type, _ response: Response.Type, advertised: ClosedRange<Int16>,
        handler: @escaping @Sendable (Request, RequestContext) -> EventLoopFuture<Response?>
    ) -> APIEndpoint {
        let requests = BrokerMetrics.requests(api: name, versions: Request.validVersions)
        let latency = BrokerMetrics.latency(api: name)
        return APIEndpoint(
            name: name, apiKey: Request.apiKey, advertised: advertised, specVersions: Request.validVersions,
            requestFirstFlexible: Request.firstFlexibleVersion, responseFirstFlexible: Response.firstFlexibleVersion
        ) { body, context in
            let started = DispatchTime.now().uptimeNanoseconds
            requests[context.apiVersion]?.increment()
            let request = try Request(from: &body, version: context.apiVersion)
            return handler(request, context).flatMapThrowing { response in
                latency.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - started))
                guard let response else { return nil }
                var encoded = ByteBuffer()
                try response.encode(into: &encoded, version: context.apiVersion)
                return encoded
            }
        }
    }

    func isRequestFlexible(_ version: Int16) -> Bool { requestFirstFlexible.map { version >= $0 } ?? false }

    /// ApiVersions' response header is always v0 (so a client can read it whatever version it
    /// sent); other responses use v1 (with tagged fields) from their first flexible version.
    func responseHeaderVersion(_ version: Int16) -> Int16 {
        guard apiKey != 18 else { return 0 }
        return responseFirstFlexible.map { version >= $0 ? 1 : 0 } ?? 0
    }
}
