/// A dictionary that remembers the entry it found last. A serializer's records mostly come
/// one topic (and one writer schema) after another, so the per-record lookup is usually one
/// equality test of the key instead of hashing it. Not synchronized: its owner keeps it in a
/// Mutex.
@usableFromInline
struct LastHitDictionary<Key: Hashable, Value> {
    @usableFromInline var lastKey: Key?
    @usableFromInline var lastValue: Value?
    @usableFromInline var entries: [Key: Value] = [:]

    @usableFromInline
    init() {}

    /// The value for `key`, remembered as the last hit.
    @inlinable
    mutating func value(for key: Key) -> Value? {
        if lastKey == key { return lastValue }
        guard let value = entries[key] else { return nil }
        lastKey = key
        lastValue = value
        return value
    }

    @inlinable
    mutating func set(_ value: Value, for key: Key) {
        entries[key] = value
        lastKey = key
        lastValue = value
    }
}
