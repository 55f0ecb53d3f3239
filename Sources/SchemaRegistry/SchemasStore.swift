/// Where the registry's records live: the `_schemas` topic. The node implements it over its
/// local partition log; tests can implement it in memory. Records come back in log order.
public protocol SchemasStore: Sendable {
    /// Appends one record and returns once it is durable (acknowledged as acks=all would be).
    func append(key: [UInt8], value: [UInt8]?) async throws
    /// Every record from the start of the topic, in offset order.
    func readAll() async throws -> [(key: [UInt8], value: [UInt8]?)]
}
