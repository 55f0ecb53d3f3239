import Synchronization

/// The answers of `GET /schemas/ids/{id}`, rendered once and read without entering the
/// registry actor. That read is what every deserializer asks for each new writer schema id, so
/// it is the registry's hottest path; an actor hop and the GUID's MD5 per request would make it
/// cost more than the HTTP stack beneath it. An id's answer changes only when a write changes
/// the view (a hard delete), so every write empties the cache.
final class SchemaByIDResponses: Sendable {
    private let bodies = Mutex<[Int: String]>([:])

    func body(for id: Int) -> String? {
        bodies.withLock { $0[id] }
    }

    func store(_ body: String, for id: Int) {
        bodies.withLock { $0[id] = body }
    }

    func removeAll() {
        bodies.withLock { $0.removeAll(keepingCapacity: true) }
    }
}
