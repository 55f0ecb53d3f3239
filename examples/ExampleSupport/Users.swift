import Foundation

/// `schemas/user-v1.avsc` as a Swift type: a struct is an Avro record by its coding keys.
public struct UserV1: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var tags: [String]

    public init(id: Int64, name: String, tags: [String] = []) {
        self.id = id
        self.name = name
        self.tags = tags
    }
}

/// `schemas/user-v2.avsc`: adds a nullable `email` and a `tier` enum, both with defaults, so a
/// v2 reader fills them in for records written under v1.
public struct UserV2: Codable, Sendable, Equatable {
    public enum Tier: String, Codable, Sendable {
        case basic = "BASIC", gold = "GOLD"
    }

    public var id: Int64
    public var name: String
    public var tags: [String]
    public var email: String?
    public var tier: Tier

    public init(id: Int64, name: String, tags: [String] = [], email: String? = nil, tier: Tier = .basic) {
        self.id = id
        self.name = name
        self.tags = tags
        self.email = email
        self.tier = tier
    }
}

/// `schemas/order.schema.json` (a JSON Schema): validated on serialize.
public struct Order: Codable, Sendable, Equatable {
    public struct Item: Codable, Sendable, Equatable {
        public var sku: String
        public var quantity: Int

        public init(sku: String, quantity: Int) {
            self.sku = sku
            self.quantity = quantity
        }
    }

    public var id: Int
    public var customer: String
    public var items: [Item]

    public init(id: Int, customer: String, items: [Item]) {
        self.id = id
        self.customer = customer
        self.items = items
    }
}
