/// Where the registry's records live: the `_schemas` topic. The node implements it over its
/// local partition log; tests can implement it in memory. Records come back in log order.
public protocol SchemasStore: Sendable {
    /// Appends one record to the log (not yet durable) and returns a position that
    /// ``waitUntilDurable(_:)`` takes.
    func append(key: [UInt8], value: [UInt8]?) async throws -> Int64
    /// Returns once every record up to `position` is durable (fdatasync'd, as acks=all). One
    /// sync covers every record appended before it, so concurrent writers share it.
    func waitUntilDurable(_ position: Int64) async throws
    /// Every record from the start of the topic, in offset order.
    func readAll() async throws -> [(key: [UInt8], value: [UInt8]?)]
}
