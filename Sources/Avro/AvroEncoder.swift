#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Encodes Swift `Encodable` values to Avro binary under a schema, without building a generic
/// ``AvroValue`` first: values are written straight into the output as the type's
/// `encode(to:)` hands them over.
///
/// Mapping: a struct is a record (its coding keys are the field names; a field the value does not
/// write is null when nullable, else its default, else an error), an `Optional` a union with null,
/// an array an array, a `[String: V]` a map, a `String` raw-value enum an enum (by symbol). Other
/// unions take the first branch the Swift value fits. `Data` and `[UInt8]` are bytes or a fixed
/// (when the schema says so), `Date` a `date` / `timestamp-*` / `local-timestamp-*` number,
/// `UUID` a `uuid` string (lowercase) or fixed(16), Foundation's `Decimal` a `decimal` (exactly:
/// a value with more fraction digits than the scale is refused, not rounded). Integers go to
/// int or long (checked for range), floating point to float or double.
///
/// Errors are ``AvroCodingError``s that name the path of the value (`/tags/2`) and the mismatch.
public struct AvroEncoder: Sendable {
    public let schema: AvroSchema
    let plan: CodablePlan

    /// Compiles the schema once; reuse the encoder for every value.
    public init(schema: AvroSchema) throws(AvroCodingError) {
        self.schema = schema
        var compiler = CodablePlanCompiler(schema: schema)
        plan = try compiler.compile(schema.root)
    }

    /// The Avro binary encoding of `value`.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128)
        try encode(value, into: &bytes)
        return bytes
    }

    /// Appends the encoding of `value` to `bytes` (keep the buffer to avoid reallocating).
    public func encode<T: Encodable>(_ value: T, into bytes: inout [UInt8]) throws {
        let encoder = AvroStreamEncoder(plan: plan)
        swap(&encoder.bytes, &bytes)
        defer { swap(&encoder.bytes, &bytes) }
        try encoder.encodeValue(value, plan: plan, key: nil)
    }
}

/// A coding key for array indexes and map keys in error paths.
struct AvroIndexKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(_ index: Int) { stringValue = String(index); intValue = index }
    init?(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    init?(intValue: Int) { self.init(intValue) }
}

/// Stands for a nil written through `encodeNil`.
private struct AvroNil: Encodable {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encodeNil()
    }
}

/// The encoder behind ``AvroEncoder``. One instance writes one datum: `plan` is the schema node
/// of the position being written, and each open record, array or map has a frame on `frames`
/// (closed after the value's `encode(to:)` returns, because Avro needs a block's item count
/// before its items and a record's fields in schema order).
final class AvroStreamEncoder: Encoder {
    /// The mutable state, behind a pointer: a class's stored `var`s pay a dynamic exclusivity
    /// check on every access, which cost more than the Avro work (the state is only ever
    /// touched by this encoder, one access at a time, never across a call into user code).
    private struct State {
        var bytes: [UInt8] = []
        var plan: CodablePlan
        var codingPath: [any CodingKey] = []
        /// The frame count when the current position began; a container beyond it is this position's.
        var positionDepth = 0
        var frames: [Frame] = []
        /// An error from a non-throwing `Encoder` method, thrown when control comes back.
        var deferredError: AvroCodingError?
    }

    private let state: UnsafeMutablePointer<State>

    var bytes: [UInt8] {
        _read { yield state.pointee.bytes }
        _modify { yield &state.pointee.bytes }
    }
    var plan: CodablePlan {
        _read { yield state.pointee.plan }
        _modify { yield &state.pointee.plan }
    }
    var codingPath: [any CodingKey] {
        _read { yield state.pointee.codingPath }
        _modify { yield &state.pointee.codingPath }
    }
    private var positionDepth: Int {
        _read { yield state.pointee.positionDepth }
        _modify { yield &state.pointee.positionDepth }
    }
    private var frames: [Frame] {
        _read { yield state.pointee.frames }
        _modify { yield &state.pointee.frames }
    }
    private var deferredError: AvroCodingError? {
        _read { yield state.pointee.deferredError }
        _modify { yield &state.pointee.deferredError }
    }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// An open record, array or map, mutated in place (no payload copies per field).
    struct Frame {
        /// The record being written; nil for an array or a map.
        let record: CodableRecordPlan?
        /// An array's items or a map's values.
        let items: CodablePlan?
        /// Where an array's or map's items begin.
        let start: Int
        /// Items written (array, map), or the next field in schema order (record).
        var count = 0
        /// Record fields written ahead of their turn.
        var pending: [Int: [UInt8]] = [:]

        init(record: CodableRecordPlan) { self.record = record; items = nil; start = 0 }
        init(items: CodablePlan, start: Int) { record = nil; self.items = items; self.start = start }
    }

    init(plan: CodablePlan) {
        state = .allocate(capacity: 1)
        state.initialize(to: State(plan: plan))
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    var pathText: String {
        codingPath.isEmpty ? "/" : codingPath.map { "/" + $0.stringValue }.joined()
    }

    /// The path of a child of the current position.
    func pathText(appending name: String) -> String {
        codingPath.map { "/" + $0.stringValue }.joined() + "/" + name
    }

    func mismatch(_ what: String) -> AvroCodingError {
        AvroCodingError("at \(pathText): \(what) cannot be written as \(plan.typeName)")
    }

    // MARK: Positions

    /// Writes `value` at a new position of schema node `plan`.
    func encodeValue<T: Encodable>(_ value: T, plan: CodablePlan, key: (any CodingKey)?) throws {
        let savedPlan = self.plan
        let savedDepth = positionDepth
        self.plan = plan
        positionDepth = frames.count
        if let key { codingPath.append(key) }
        defer {
            if key != nil { codingPath.removeLast() }
            self.plan = savedPlan
            positionDepth = savedDepth
        }
        if try encodeSpecial(value) { return }
        let start = bytes.count
        try value.encode(to: self)
        if let error = deferredError {
            deferredError = nil
            throw error
        }
        if frames.count > positionDepth {
            try closeFrame()
        } else if bytes.count == start {
            try encodeNothing()
        }
    }

    /// A value whose `encode(to:)` wrote nothing (a struct without properties): a record takes
    /// its fields' nulls and defaults; any other type that needs bytes is an error, not a
    /// silently short datum.
    private func encodeNothing() throws(AvroCodingError) {
        switch plan.kind {
        case .null, .fixed(size: 0): return
        case .record(let record):
            frames.append(Frame(record: record))
            try closeFrame()
        default:
            throw AvroCodingError("at \(pathText): the value wrote nothing, and \(plan.typeName) needs a value")
        }
    }

    /// Picks a union branch for what the value turned out to be (and writes its index); a plan
    /// that is not a union is used as it is when it matches.
    func target(_ matches: (CodablePlan) -> Bool) throws(AvroCodingError) -> CodablePlan? {
        guard case .union(let branches) = plan.kind else { return matches(plan) ? plan : nil }
        guard let index = branches.firstIndex(where: matches) else { return nil }
        writeLong(Int64(index))
        plan = branches[index]
        return plan
    }

    /// `Date`, `UUID`, `Data`, `[UInt8]` and `Decimal`, whose own `Codable` forms are not Avro's.
    /// (Compared by type, not cast: a cast per value would cost more than the value's encoding.)
    private func encodeSpecial<T: Encodable>(_ value: T) throws -> Bool {
        if T.self == Date.self, let date = value as? Date {
            guard let target = try target({ $0.logical?.unitsPerSecond != nil }), let number = target.logical?.number(from: date) else {
                throw mismatch("a Date (it needs a date, timestamp-* or local-timestamp-* logical type)")
            }
            if case .int = target.kind {
                guard let days = Int32(exactly: number) else { throw mismatch("the Date \(date), \(number) days from 1970,") }
                writeLong(Int64(days))
            } else {
                writeLong(number)
            }
            return true
        }
        if T.self == UUID.self, let uuid = value as? UUID {
            guard let target = try target({ if case .string = $0.kind { true } else { $0.logical == .uuid } }) else {
                throw mismatch("a UUID")
            }
            if case .fixed = target.kind {
                withUnsafeBytes(of: uuid.uuid) { bytes.append(contentsOf: $0) }
            } else {
                writeString(uuid.uuidString.lowercased())
            }
            return true
        }
        if T.self == Data.self, let data = value as? Data {
            guard try target(Self.holdsBytes) != nil else { return false }
            try writeBytes(data)
            return true
        }
        if T.self == [UInt8].self, let array = value as? [UInt8] {
            guard try target(Self.holdsBytes) != nil else { return false }
            try writeBytes(array)
            return true
        }
        if T.self == Decimal.self, let decimal = value as? Decimal {
            guard let target = try target({
                if case .decimal = $0.logical { return true }
                switch $0.kind { case .double, .string: return true; default: return false }
            }) else { throw mismatch("a Decimal") }
            switch (target.kind, target.logical) {
            case (.fixed(let size), .decimal(let precision, let scale)):
                bytes.append(contentsOf: try AvroDecimal.bytes(decimal, precision: precision, scale: scale, size: size))
            case (_, .decimal(let precision, let scale)):
                try writeBytes(try AvroDecimal.bytes(decimal, precision: precision, scale: scale, size: nil))
            case (.double, _): writeDouble(Double(decimal.description) ?? .nan)
            default: writeString(decimal.description)
            }
            return true
        }
        return false
    }

    private static func holdsBytes(_ plan: CodablePlan) -> Bool {
        switch plan.kind { case .bytes, .fixed: true; default: false }
    }

    // MARK: Frames

    func openFrame(keyed: Bool) -> Int? {
        if frames.count > positionDepth { return frames.count - 1 }
        do {
            let target = try target {
                switch $0.kind {
                case .record, .map: keyed
                case .array: !keyed
                default: false
                }
            }
            switch target?.kind {
            case .record(let record): frames.append(Frame(record: record))
            case .map(let values), .array(let values): frames.append(Frame(items: values, start: bytes.count))
            default:
                deferredError = deferredError ?? mismatch(keyed ? "a keyed value (a struct or a dictionary)" : "an unkeyed value (an array)")
                return nil
            }
        } catch {
            deferredError = deferredError ?? error
            return nil
        }
        return frames.count - 1
    }

    /// Writes a field of the record (or an entry of the map) of frame `index`.
    func encodeEntry<T: Encodable>(_ value: T, key: any CodingKey, frame index: Int) throws {
        if let record = frames[index].record {
            let next = frames[index].count
            let name = key.stringValue
            let field = record.fieldNames.count <= 8 ? record.fieldNames.firstIndex(of: name) : record.indexes[name]
            guard let field else {
                throw AvroCodingError("at \(pathText): record \(record.name) has no field \"\(key.stringValue)\"")
            }
            guard field >= next, frames[index].pending[field] == nil else {
                throw AvroCodingError("at \(pathText(appending: key.stringValue)): the field is written twice")
            }
            if field == next {
                try encodeValue(value, plan: record.fields[field], key: key)
                frames[index].count += 1
                while !frames[index].pending.isEmpty {
                    let following = frames[index].count
                    guard let bytesOfField = frames[index].pending.removeValue(forKey: following) else { break }
                    bytes.append(contentsOf: bytesOfField)
                    frames[index].count += 1
                }
            } else {
                // Out of schema order (a hand-written encode(to:)): kept aside until its turn.
                var aside: [UInt8] = []
                swap(&aside, &bytes)
                defer { swap(&aside, &bytes) }
                try encodeValue(value, plan: record.fields[field], key: key)
                frames[index].pending[field] = bytes
            }
        } else if let values = frames[index].items {
            writeString(key.stringValue)
            try encodeValue(value, plan: values, key: key)
            frames[index].count += 1
        }
    }

    func encodeItem<T: Encodable>(_ value: T, frame index: Int) throws {
        guard let items = frames[index].items else { return }
        try encodeValue(value, plan: items, key: AvroIndexKey(frames[index].count))
        frames[index].count += 1
    }

    func itemCount(frame index: Int) -> Int {
        frames[index].items == nil ? 0 : frames[index].count
    }

    private func closeFrame() throws(AvroCodingError) {
        let frame = frames.removeLast()
        if let record = frame.record {
            for field in frame.count..<record.fields.count {
                if let written = frame.pending[field] {
                    bytes.append(contentsOf: written)
                    continue
                }
                switch record.absent[field] {
                case .nullBranch(let index): writeLong(Int64(index))
                case .defaultBytes(let encoded): bytes.append(contentsOf: encoded)
                case .required:
                    throw AvroCodingError("at \(pathText): the value has no \"\(record.fieldNames[field])\", which record \(record.name) requires (no default)")
                }
            }
        } else {
            if frame.count > 0 {
                var header: [UInt8] = []
                Self.appendLong(Int64(frame.count), to: &header)
                bytes.insert(contentsOf: header, at: frame.start)
            }
            bytes.append(0)
        }
    }

    // MARK: Output

    static func appendLong(_ value: Int64, to bytes: inout [UInt8]) {
        var zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while zigzag >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: zigzag) | 0x80)
            zigzag >>= 7
        }
        bytes.append(UInt8(zigzag))
    }

    func writeLong(_ value: Int64) { Self.appendLong(value, to: &bytes) }

    func writeDouble(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    func writeFloat(_ value: Float) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    func writeString(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            writeLong(Int64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Bytes as `bytes` (length-prefixed) or as the current fixed (exactly its size).
    func writeBytes<C: Collection>(_ data: C) throws(AvroCodingError) where C.Element == UInt8 {
        if case .fixed(let size) = plan.kind {
            guard data.count == size else { throw AvroCodingError("at \(pathText): \(data.count) bytes for \(plan.typeName), which has \(size)") }
        } else {
            writeLong(Int64(data.count))
        }
        bytes.append(contentsOf: data)
    }

    // MARK: Encoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(AvroKeyedEncodingContainer<Key>(encoder: self, frame: openFrame(keyed: true)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        AvroUnkeyedEncodingContainer(encoder: self, frame: openFrame(keyed: false))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        AvroSingleValueEncodingContainer(encoder: self)
    }

    func unsupported(_ what: String) -> AvroCodingError {
        AvroCodingError("at \(pathText): \(what) has no Avro form (write the fields of the record directly)")
    }

    func nilValue() -> some Encodable { AvroNil() }

    /// Keeps the first error of a non-throwing method for when control returns.
    func `defer`(_ error: AvroCodingError) {
        if deferredError == nil { deferredError = error }
    }

    /// The deferred error (taken), for a container that could not open.
    func pendingFailure() -> AvroCodingError {
        defer { deferredError = nil }
        return deferredError ?? AvroCodingError("at \(pathText): the value does not fit \(plan.typeName)")
    }
}
