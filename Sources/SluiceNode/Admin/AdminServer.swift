import Broker
import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus

/// The admin HTTP endpoints on `--admin-listen` (default 127.0.0.1:9644):
/// - `GET /health`: 200 `{"status":"serving"}` once the node serves; 503 with the state while it
///   recovers its logs or stops, so a load balancer or a test can wait on it.
/// - `GET /metrics`: every metric in the Prometheus text format.
/// - `GET /v1/groups`, `GET /v1/groups/{id}`: consumer groups with members, assignments,
///   committed and end offsets and lag per partition (JSON; 404 for an unknown group).
public enum AdminServer {
    /// Builds the Hummingbird application; it is a `Service`, run in the node's service group.
    public static func application(
        address: HostAndPort,
        health: NodeHealth,
        metrics: PrometheusCollectorRegistry,
        broker: Broker? = nil,
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
        if let broker {
            router.get("v1/groups") { _, _ -> Response in
                json(["groups": broker.groupReports()])
            }
            router.get("v1/groups/:id") { _, context -> Response in
                let id = (context.parameters.get("id") ?? "").removingPercentEncoding ?? ""
                guard let report = broker.groupReport(id: id) else {
                    return Response(status: .notFound, headers: [.contentType: "application/json"],
                                    body: .init(byteBuffer: ByteBuffer(string: "{\"error\":\"no group named \(id)\"}\n")))
                }
                return json(report)
            }
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "sluice-admin"),
            logger: logger)
    }

    private static func json(_ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// `/health`'s status and JSON body for a node state: only a serving node is healthy.
    static func healthResponse(for state: NodeState) -> (HTTPResponse.Status, String) {
        (state == .serving ? .ok : .serviceUnavailable, "{\"status\":\"\(state.rawValue)\"}\n")
    }
}
