import Metrics

/// Broker metrics. Per-API series are created once per API (not per request); nothing is
/// recorded per record.
enum BrokerMetrics {
    static let connections = Meter(label: "sluice_broker_connections")
    static let messagesIn = Counter(label: "sluice_broker_messages_in_total")
    static let bytesIn = Counter(label: "sluice_broker_bytes_in_total")
    static let bytesOut = Counter(label: "sluice_broker_bytes_out_total")

    static func requests(api: String) -> Counter {
        Counter(label: "sluice_broker_requests_total", dimensions: [("api", api)])
    }

    static func latency(api: String) -> Metrics.Timer {
        Metrics.Timer(label: "sluice_broker_request_seconds", dimensions: [("api", api)])
    }

    static func produceErrors(code: Int16) -> Counter {
        Counter(label: "sluice_broker_produce_errors_total", dimensions: [("code", "\(code)")])
    }
}
