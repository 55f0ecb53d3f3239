import Metrics

/// Broker metrics. Per-API series are created once per API and version (not per request);
/// per-topic series once per batch or partition response; nothing is recorded per record.
enum BrokerMetrics {
    static let connections = Meter(label: "sluice_broker_connections")
    static let messagesIn = Counter(label: "sluice_broker_messages_in_total")
    static let bytesIn = Counter(label: "sluice_broker_bytes_in_total")
    static let bytesOut = Counter(label: "sluice_broker_bytes_out_total")

    /// One counter per version of an API, made once when the endpoint is built.
    static func requests(api: String, versions: ClosedRange<Int16>) -> [Int16: Counter] {
        Dictionary(uniqueKeysWithValues: versions.map {
            ($0, Counter(label: "sluice_broker_requests_total", dimensions: [("api", api), ("version", "\($0)")]))
        })
    }

    static func topicBytesIn(_ topic: String) -> Counter {
        Counter(label: "sluice_broker_topic_bytes_in_total", dimensions: [("topic", topic)])
    }

    static func topicBytesOut(_ topic: String) -> Counter {
        Counter(label: "sluice_broker_topic_bytes_out_total", dimensions: [("topic", topic)])
    }

    static func fetchErrors(code: Int16) -> Counter {
        Counter(label: "sluice_broker_fetch_errors_total", dimensions: [("code", "\(code)")])
    }

    static func latency(api: String) -> Metrics.Timer {
        Metrics.Timer(label: "sluice_broker_request_seconds", dimensions: [("api", api)])
    }

    static func produceErrors(code: Int16) -> Counter {
        Counter(label: "sluice_broker_produce_errors_total", dimensions: [("code", "\(code)")])
    }
}
