#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OrderedJSON

/// The logical types the Codable bridge converts to Swift values. An annotation the specification
/// calls invalid (a wrong underlying type, a bad precision or scale) is ignored, as the
/// specification says: the value is then read and written as its underlying type.
enum AvroLogicalType: Equatable, Sendable {
    case date, timeMillis, timeMicros
    case timestampMillis, timestampMicros, timestampNanos
    case localTimestampMillis, localTimestampMicros, localTimestampNanos
    case uuid
    case decimal(precision: Int, scale: Int)
    case duration

    /// The valid logical type of a resolved schema node, or nil.
    init?(of type: AvroType) {
        let properties = type.properties
        guard let annotation = properties.first(where: { $0.key == "logicalType" }), case .string(let name) = annotation.value else {
            return nil
        }
        switch (name, type) {
        case ("date", .primitive(.int, _)): self = .date
        case ("time-millis", .primitive(.int, _)): self = .timeMillis
        case ("time-micros", .primitive(.long, _)): self = .timeMicros
        case ("timestamp-millis", .primitive(.long, _)): self = .timestampMillis
        case ("timestamp-micros", .primitive(.long, _)): self = .timestampMicros
        case ("timestamp-nanos", .primitive(.long, _)): self = .timestampNanos
        case ("local-timestamp-millis", .primitive(.long, _)): self = .localTimestampMillis
        case ("local-timestamp-micros", .primitive(.long, _)): self = .localTimestampMicros
        case ("local-timestamp-nanos", .primitive(.long, _)): self = .localTimestampNanos
        case ("uuid", .primitive(.string, _)): self = .uuid
        case ("uuid", .fixed(let fixed)) where fixed.size == 16: self = .uuid
        case ("duration", .fixed(let fixed)) where fixed.size == 12: self = .duration
        case ("decimal", .primitive(.bytes, _)), ("decimal", .fixed):
            func integer(_ key: String) -> Int? {
                properties.first(where: { $0.key == key })?.value.integerValue.flatMap { Int(exactly: $0) }
            }
            guard let precision = integer("precision"), precision > 0 else { return nil }
            let scale = integer("scale") ?? 0
            guard scale >= 0, scale <= precision else { return nil }
            if case .fixed(let fixed) = type {
                // The most digits a two's-complement number of `size` bytes always holds.
                let digits = Int((Double(8 * fixed.size - 1) * 0.301_029_995_663_981_2).rounded(.down))
                guard precision <= digits else { return nil }
            }
            self = .decimal(precision: precision, scale: scale)
        default: return nil
        }
    }

    /// Units per second of a timestamp or date logical type (a date counts days).
    var unitsPerSecond: Double? {
        switch self {
        case .timestampMillis, .localTimestampMillis: 1e3
        case .timestampMicros, .localTimestampMicros: 1e6
        case .timestampNanos, .localTimestampNanos: 1e9
        case .date: 1.0 / 86_400
        default: nil
        }
    }

    /// A `Date` as the number this logical type stores, rounded to the nearest unit (a `Date` is a
    /// `Double` of seconds since 2001, so a unit finer than about 0.2 µs is not kept exactly);
    /// a date is the day that contains the instant (floor, as Java's `LocalDate`).
    func number(from date: Date) -> Int64? {
        guard let units = unitsPerSecond else { return nil }
        let scaled = date.timeIntervalSince1970 * units
        let rounded = self == .date ? scaled.rounded(.down) : scaled.rounded()
        return Int64(exactly: rounded) ?? (rounded.isFinite && abs(rounded) < 9.2e18 ? Int64(rounded) : nil)
    }

    func date(from number: Int64) -> Date? {
        guard let units = unitsPerSecond else { return nil }
        return Date(timeIntervalSince1970: Double(number) / units)
    }
}

/// Decimal values as Avro stores them: the unscaled integer in big-endian two's complement.
enum AvroDecimal {
    /// The unscaled two's-complement bytes of `value` at `scale`, as short as the sign allows
    /// (Java's `BigInteger.toByteArray`), or sign-extended to `size` for a fixed.
    static func bytes(_ value: Decimal, precision: Int, scale: Int, size: Int?) throws(AvroCodingError) -> [UInt8] {
        guard value.isFinite else { throw AvroCodingError("\(value) is not a finite decimal") }
        // Decimal's description is plain notation ("-12.5"), never an exponent.
        var text = Substring(value.description)
        let negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var fraction = parts.count > 1 ? Array(parts[1].utf8) : []
        while fraction.count > scale {
            guard fraction.last == UInt8(ascii: "0") else {
                throw AvroCodingError("\(value) has more than the \(scale) fraction digits of decimal(\(precision), \(scale)); round it first")
            }
            fraction.removeLast()
        }
        fraction += [UInt8](repeating: UInt8(ascii: "0"), count: scale - fraction.count)
        var digits = (Array(parts[0].utf8) + fraction).drop { $0 == UInt8(ascii: "0") }
        guard digits.count <= precision else {
            throw AvroCodingError("\(value) has \(digits.count) digits; decimal(\(precision), \(scale)) holds \(precision)")
        }
        // Base 10 digits to a big-endian magnitude.
        var magnitude: [UInt8] = []
        while let digit = digits.popFirst() {
            var carry = Int(digit - UInt8(ascii: "0"))
            for index in magnitude.indices.reversed() {
                let product = Int(magnitude[index]) * 10 + carry
                magnitude[index] = UInt8(product & 0xFF)
                carry = product >> 8
            }
            while carry > 0 {
                magnitude.insert(UInt8(carry & 0xFF), at: 0)
                carry >>= 8
            }
        }
        var bytes = magnitude
        if bytes.isEmpty || bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        if negative { negate(&bytes) }
        // The shortest form: drop a leading byte that only repeats the sign of the next.
        while bytes.count > 1, (bytes[0] == 0 && bytes[1] & 0x80 == 0) || (bytes[0] == 0xFF && bytes[1] & 0x80 != 0) {
            bytes.removeFirst()
        }
        if let size {
            guard bytes.count <= size else { throw AvroCodingError("\(value) needs \(bytes.count) bytes; the fixed has \(size)") }
            bytes.insert(contentsOf: repeatElement(negative ? 0xFF : 0, count: size - bytes.count), at: 0)
        }
        return bytes
    }

    /// The decimal an unscaled two's-complement integer stands for at `scale`.
    static func value(_ bytes: [UInt8], scale: Int) throws(AvroCodingError) -> Decimal {
        guard !bytes.isEmpty else { return 0 }
        var magnitude = bytes
        let negative = bytes[0] & 0x80 != 0
        if negative { negate(&magnitude) }
        // Big-endian magnitude to base 10 digits (least significant first).
        var decimalDigits: [UInt8] = []
        while magnitude.contains(where: { $0 != 0 }) {
            var remainder = 0
            for index in magnitude.indices {
                let current = remainder << 8 | Int(magnitude[index])
                magnitude[index] = UInt8(current / 10)
                remainder = current % 10
            }
            decimalDigits.append(UInt8(remainder))
        }
        guard decimalDigits.count <= 38 else {
            throw AvroCodingError("a decimal of \(decimalDigits.count) digits does not fit Foundation's Decimal (38 digits)")
        }
        var significand = Decimal(0)
        for digit in decimalDigits.reversed() { significand = significand * 10 + Decimal(Int(digit)) }
        return Decimal(sign: negative ? .minus : .plus, exponent: -scale, significand: significand)
    }

    /// Two's-complement negation in place.
    private static func negate(_ bytes: inout [UInt8]) {
        var carry = true
        for index in bytes.indices.reversed() {
            let inverted = ~bytes[index]
            bytes[index] = carry ? inverted &+ 1 : inverted
            if carry { carry = inverted == 0xFF }
        }
    }
}
