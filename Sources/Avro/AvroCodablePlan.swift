/// The schema compiled for ``AvroEncoder``: one node per schema node (named types shared, so
/// recursive schemas compile to cyclic plans), with what the encoder needs at hand: symbol
/// indexes, field indexes by name, and what to write for a field the value leaves out.
final class CodablePlan: @unchecked Sendable {
    // Set once while compiling (a recursive type points back at a plan being built), then only read.
    var kind: Kind = .null
    var logical: AvroLogicalType?
    var typeName = ""

    enum Kind {
        case null, boolean, int, long, float, double, bytes, string
        case fixed(size: Int)
        case enumeration(symbols: [String], indexes: [String: Int])
        case array(CodablePlan)
        case map(CodablePlan)
        case union([CodablePlan])
        case record(CodableRecordPlan)
    }

    var isUnion: Bool { if case .union = kind { true } else { false } }
    var isNull: Bool { if case .null = kind { true } else { false } }
}

final class CodableRecordPlan: @unchecked Sendable {
    let name: String
    var fieldNames: [String] = []
    var fields: [CodablePlan] = []
    var indexes: [String: Int] = [:]
    /// What a field the encoded value does not write becomes.
    var absent: [Absent] = []

    enum Absent {
        /// A nullable field (an `Optional` that was nil): the null branch of its union.
        case nullBranch(Int)
        /// The encoding of the field's default.
        case defaultBytes([UInt8])
        case required
    }

    init(name: String) { self.name = name }
}

struct CodablePlanCompiler {
    let schema: AvroSchema
    var named: [String: CodablePlan] = [:]

    mutating func compile(_ type: AvroType) throws(AvroCodingError) -> CodablePlan {
        let resolved = schema.resolve(type)
        if let name = resolved.fullName, let existing = named[name] { return existing }
        let plan = CodablePlan()
        plan.logical = AvroLogicalType(of: resolved)
        plan.typeName = Self.typeName(resolved, plan.logical)
        if let name = resolved.fullName { named[name] = plan }
        switch resolved {
        case .primitive(let primitive, _):
            switch primitive {
            case .null: plan.kind = .null
            case .boolean: plan.kind = .boolean
            case .int: plan.kind = .int
            case .long: plan.kind = .long
            case .float: plan.kind = .float
            case .double: plan.kind = .double
            case .bytes: plan.kind = .bytes
            case .string: plan.kind = .string
            }
        case .fixed(let fixed): plan.kind = .fixed(size: fixed.size)
        case .enumeration(let enumeration):
            var indexes: [String: Int] = [:]
            for (index, symbol) in enumeration.symbols.enumerated() { indexes[symbol] = index }
            plan.kind = .enumeration(symbols: enumeration.symbols, indexes: indexes)
        case .array(let items, _): plan.kind = .array(try compile(items))
        case .map(let values, _): plan.kind = .map(try compile(values))
        case .union(let branches):
            var plans: [CodablePlan] = []
            for branch in branches { plans.append(try compile(branch)) }
            plan.kind = .union(plans)
        case .record(let record):
            let recordPlan = CodableRecordPlan(name: record.fullName)
            plan.kind = .record(recordPlan)
            for (index, field) in record.fields.enumerated() {
                let fieldPlan = try compile(field.type)
                recordPlan.fieldNames.append(field.name)
                recordPlan.fields.append(fieldPlan)
                recordPlan.indexes[field.name] = index
                recordPlan.absent.append(try absent(field, fieldPlan))
            }
        case .named(let name):
            throw AvroCodingError("the type \(name) is not defined")
        }
        return plan
    }

    private func absent(_ field: AvroField, _ plan: CodablePlan) throws(AvroCodingError) -> CodableRecordPlan.Absent {
        if case .union(let branches) = plan.kind, let null = branches.firstIndex(where: \.isNull) { return .nullBranch(null) }
        guard let json = field.defaultValue else { return .required }
        let value = try AvroJSON.value(fromDefault: json, type: field.type, schema: schema)
        return .defaultBytes(try AvroBinaryEncoder.encode(value, schema: AvroSchema(root: field.type, namedTypes: schema.namedTypes)))
    }

    static func typeName(_ type: AvroType, _ logical: AvroLogicalType?) -> String {
        let base = switch type {
        case .primitive(let primitive, _): primitive.rawValue
        case .record(let record): "record \(record.fullName)"
        case .enumeration(let enumeration): "enum \(enumeration.fullName)"
        case .fixed(let fixed): "fixed \(fixed.fullName)"
        case .array: "array"
        case .map: "map"
        case .union(let branches): "union of \(branches.count)"
        case .named(let name): name
        }
        return logical.map { "\(base) (\($0))" } ?? base
    }
}
