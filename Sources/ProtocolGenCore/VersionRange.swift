/// A spec's version range: `"3+"`, `"0-5"`, `"7"` or `"none"`.
public struct VersionRange: Equatable, Sendable {
    public var lower: Int
    /// nil: no upper bound.
    public var upper: Int?
    public var isNone: Bool

    public static let none = VersionRange(lower: 0, upper: nil, isNone: true)

    public init(lower: Int, upper: Int?, isNone: Bool = false) {
        self.lower = lower
        self.upper = upper
        self.isNone = isNone
    }

    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "none" {
            self = .none
        } else if trimmed.hasSuffix("+"), let lower = Int(trimmed.dropLast()), lower >= 0 {
            self.init(lower: lower, upper: nil)
        } else if let dash = trimmed.firstIndex(of: "-"), let lower = Int(trimmed[..<dash]),
                  let upper = Int(trimmed[trimmed.index(after: dash)...]), lower >= 0, upper >= lower {
            self.init(lower: lower, upper: upper)
        } else if let single = Int(trimmed), single >= 0 {
            self.init(lower: single, upper: single)
        } else {
            throw SpecError("invalid version range '\(text)'")
        }
    }

    public func contains(_ version: Int) -> Bool {
        !isNone && version >= lower && upper.map { version <= $0 } ?? true
    }

    /// This range limited to `valid`; nil when they do not meet.
    public func intersected(with valid: VersionRange) -> VersionRange? {
        guard !isNone, !valid.isNone else { return nil }
        let low = max(lower, valid.lower)
        let high = [upper, valid.upper].compactMap { $0 }.min()
        if let high, high < low { return nil }
        return VersionRange(lower: low, upper: high)
    }

    /// A Swift condition on `version` that is true inside this range, given that `version` is
    /// already known to be within `valid`.
    public func condition(within valid: VersionRange) -> String {
        guard let range = intersected(with: valid) else { return "false" }
        let needsLower = range.lower > valid.lower
        let needsUpper = range.upper != nil && range.upper != valid.upper
        switch (needsLower, needsUpper) {
        case (false, false): return "true"
        case (true, false): return "version >= \(range.lower)"
        case (false, true): return "version <= \(range.upper!)"
        case (true, true): return range.lower == range.upper! ? "version == \(range.lower)" : "(\(range.lower)...\(range.upper!)).contains(version)"
        }
    }
}

/// A spec that cannot be understood; the message names the file and field.
public struct SpecError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
