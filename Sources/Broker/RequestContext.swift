import KafkaProtocol
import NIOCore

/// What a handler knows about the request besides its body.
public struct RequestContext: Sendable {
    public var header: RequestHeader
    public var apiVersion: Int16 { header.requestApiVersion }
    public var eventLoop: any EventLoop
    public var peer: String
}
