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
    /// Decodes the request, runs the handler and encodes the response as a whole frame.
    let handle: @Sendable (inout ByteBuffer, RequestContext, ResponseFraming) throws -> EventLoopFuture<OutgoingFrame?>

    /// - Parameter sizeHint: the response's size, when it is large and known (Fetch), so the
    ///   frame is allocated once instead of grown by doubling.
    static func make<Request: KafkaAPIMessage, Response: KafkaAPIMessage>(
        _ name: String, _ request: Request.Type, _ response: Response.Type, advertised: ClosedRange<Int16>,
        sizeHint: (@Sendable (Response) -> Int)? = nil,
        handler: @escaping @Sendable (Request, RequestContext) -> EventLoopFuture<Response?>
    ) -> APIEndpoint {
        let requests = BrokerMetrics.requests(api: name, versions: Request.validVersions)
        let latency = BrokerMetrics.latency(api: name)
        return APIEndpoint(
            name: name, apiKey: Request.apiKey, advertised: advertised, specVersions: Request.validVersions,
            requestFirstFlexible: Request.firstFlexibleVersion, responseFirstFlexible: Response.firstFlexibleVersion
        ) { body, context, framing in
            let started = DispatchTime.now().uptimeNanoseconds
            requests[context.apiVersion]?.increment()
            let request = try Request(from: &body, version: context.apiVersion)
            return handler(request, context).flatMapThrowing { response in
                latency.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - started))
                guard let response else { return nil }
                // The response is encoded straight after its frame header: no copy into a frame.
                var frame = framing.begin(capacity: 256 + (sizeHint?(response) ?? 0))
                try response.encode(into: &frame, version: context.apiVersion)
                framing.finish(&frame)
                return OutgoingFrame(frame)
            }
        }
    }

    /// Fetch: records of large reads stay in the log files and are sent with `sendfile`.
    static func makeFetch(
        advertised: ClosedRange<Int16>,
        handler: @escaping @Sendable (FetchRequest, RequestContext) -> EventLoopFuture<FetchReply?>
    ) -> APIEndpoint {
        let requests = BrokerMetrics.requests(api: "Fetch", versions: FetchRequest.validVersions)
        let latency = BrokerMetrics.latency(api: "Fetch")
        return APIEndpoint(
            name: "Fetch", apiKey: FetchRequest.apiKey, advertised: advertised, specVersions: FetchRequest.validVersions,
            requestFirstFlexible: FetchRequest.firstFlexibleVersion, responseFirstFlexible: FetchResponse.firstFlexibleVersion
        ) { body, context, framing in
            let started = DispatchTime.now().uptimeNanoseconds
            requests[context.apiVersion]?.increment()
            let request = try FetchRequest(from: &body, version: context.apiVersion)
            return handler(request, context).flatMapThrowing { reply in
                latency.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - started))
                guard let reply else { return nil }
                var frame = framing.begin(capacity: 256 + reply.inlineBytes)
                let holes = try reply.response.encode(into: &frame, version: context.apiVersion, externalLengths: reply.externalLengths)
                let external = reply.fileSlices
                framing.finish(&frame, extra: external.reduce(0) { $0 + $1.reduce(0) { $0 + $1.length } })
                return OutgoingFrame(frame, fileParts: zip(holes, external).map { ($0 - frame.readerIndex, $1) })
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

/// The frame around a response: its size and the response header, written before the body and
/// completed after it.
struct ResponseFraming: Sendable {
    let correlationID: Int32
    let headerVersion: Int16

    func begin(capacity: Int) -> ByteBuffer {
        var frame = ByteBufferAllocator().buffer(capacity: capacity + 9)
        frame.writeInteger(Int32(0))
        frame.writeInteger(correlationID)
        if headerVersion >= 1 { frame.writeUnsignedVarint(0) }
        return frame
    }

    /// Sets the frame's size; `extra` counts bytes sent from files besides the buffer.
    func finish(_ frame: inout ByteBuffer, extra: Int = 0) {
        frame.setInteger(Int32(frame.readableBytes - 4 + extra), at: frame.readerIndex)
        BrokerMetrics.bytesOut.increment(by: frame.readableBytes + extra)
    }
}
