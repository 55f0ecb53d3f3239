import Metrics

/// The log store's metrics. Aggregated over all partitions so that cardinality stays flat with
/// 10,000 partitions; no metric work happens per record, only per batch or per sync.
enum LogMetrics {
    static let appendedBatches = Counter(label: "sluice_log_appended_batches_total")
    static let appendedBytes = Counter(label: "sluice_log_appended_bytes_total")
    static let flushes = Counter(label: "sluice_log_flushes_total")
    static let appendLatency = Metrics.Timer(label: "sluice_log_append_seconds")
    static let flushLatency = Metrics.Timer(label: "sluice_log_flush_seconds")
    static let sizeBytes = Gauge(label: "sluice_log_size_bytes")
    static let segments = Gauge(label: "sluice_log_segments")
    static let recoveredBytesDropped = Counter(label: "sluice_log_recovery_dropped_bytes_total")
}
