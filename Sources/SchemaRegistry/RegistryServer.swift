import Hummingbird
import Logging
import NIOCore

/// The registry's HTTP server on `--registry-listen` (default 127.0.0.1:8081): Hummingbird
/// reads the request, ``RegistryRequestHandler`` answers it.
public enum RegistryServer {
    static let contentType = "application/vnd.schemaregistry.v1+json"

    public static func application(host: String, port: Int, handler: RegistryRequestHandler,
                                   logger: Logger) -> some ApplicationProtocol {
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: RegistryRequestHandler.maxBodySize)
            } catch {
                return response(RegistryResponse(RegistryError(413, "The request body is larger than \(RegistryRequestHandler.maxBodySize) bytes")))
            }
            var query: [String: String] = [:]
            for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
            let answer = await handler.handle(method: request.method.rawValue, rawPath: request.uri.path,
                                              query: query, body: Array(body.readableBytesView))
            return response(answer)
        }
        return Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: port), serverName: "sluice-registry"),
            logger: logger)
    }

    private static func response(_ answer: RegistryResponse) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        if !answer.allow.isEmpty { headers[.allow] = answer.allow.joined(separator: ", ") }
        return Response(status: .init(code: answer.status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: answer.body)))
    }
}
