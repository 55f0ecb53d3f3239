/// A dictionary that holds at most `capacity` entries, dropping the oldest insertion first.
/// Registry answers are immutable (an id always names the same schema), so age is a fair proxy
/// for use and avoids bookkeeping on every hit. Not synchronized: the client keeps it in a Mutex.
struct BoundedCache<Key: Hashable, Value> {
    let capacity: Int
    private var storage: [Key: Value] = [:]
    /// Insertion order; `head` is the oldest live position (compacted when half is dead).
    private var order: [Key] = []
    private var head = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { storage.count }

    subscript(key: Key) -> Value? {
        storage[key]
    }

    mutating func insert(_ value: Value, for key: Key) {
        if storage.updateValue(value, forKey: key) == nil {
            order.append(key)
            while storage.count > capacity, head < order.count {
                storage.removeValue(forKey: order[head])
                head += 1
            }
            if head > order.count / 2 {
                order.removeFirst(head)
                head = 0
            }
        }
    }

    mutating func removeAll(where shouldRemove: (Key) -> Bool) {
        for key in storage.keys where shouldRemove(key) { storage.removeValue(forKey: key) }
        order = order[head...].filter { storage[$0] != nil }
        head = 0
    }
}
