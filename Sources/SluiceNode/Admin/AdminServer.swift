import Hummingbird
import Logging
import NIOCore
import Prometheus

/// The admin HTTP endpoints on `--admin-listen` (default 127.0.0.1:9644):
/// - `GET /health`: 200 `{"status":"serving"}` once the node serves; 503 with the state while it
///   recovers its logs or stops, so a load balancer or a test can wait on it.
/// - `GET /metrics`: every metric in the Prometheus text format.
public enum AdminServer {
    /// Builds the Hummingbird application; it is a `Service`, run in the node's service group.
    public static func application(
        address: HostAndPort,
        health: NodeHealth,
        metrics: PrometheusCollectorRegistry,
        logger: Logger
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("health") { _, _ -> Response in
            let (status, body) = healthResponse(for: health.current)
            return Response(
                status: status,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "sluice-admin"),
            logger: logger)
    }

    /// `/health`'s status and JSON body for a node state: only a serving node is healthy.
    static func healthResponse(for state: NodeState) -> (HTTPResponse.Status, String) {
        (state == .serving ? .ok : .serviceUnavailable, "{\"status\":\"\(state.rawValue)\"}\n")
    }
}
