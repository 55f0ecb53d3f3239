"""A seeded generator of random Avro record schemas and of evolution steps applied to them, for
differential tests against Apache Avro's Python implementation."""
import copy
import random

PRIMITIVES = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]
PROMOTIONS = {"int": ["long", "float", "double"], "long": ["float", "double"], "float": ["double"],
              "string": ["bytes"], "bytes": ["string"]}
DEFAULTS = {"null": None, "boolean": False, "int": 0, "long": 0, "float": 0.0, "double": 0.0,
            "bytes": "", "string": ""}


class SchemaGenerator:
    def __init__(self, seed):
        self.random = random.Random(seed)
        self.counter = 0

    def name(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}"

    def type(self, depth):
        r = self.random.random()
        if depth > 2 or r < 0.5:
            return self.random.choice(PRIMITIVES[1:])
        if r < 0.6:
            return {"type": "array", "items": self.type(depth + 1)}
        if r < 0.67:
            return {"type": "map", "values": self.type(depth + 1)}
        if r < 0.77:
            symbols = [f"S{i}" for i in range(self.random.randint(1, 4))]
            enum = {"type": "enum", "name": self.name("E"), "symbols": symbols}
            if self.random.random() < 0.3:
                enum["default"] = symbols[0]
            return enum
        if r < 0.82:
            return {"type": "fixed", "name": self.name("F"), "size": self.random.choice([4, 8, 16])}
        if r < 0.92:
            branches = self.random.sample(["null", "int", "long", "string", "double", "boolean"], self.random.randint(2, 3))
            return branches
        return self.record(depth + 1)

    def default_for(self, type_):
        if isinstance(type_, str):
            return DEFAULTS[type_]
        if isinstance(type_, list):
            return self.default_for(type_[0])
        kind = type_["type"]
        if kind == "array":
            return []
        if kind == "map":
            return {}
        if kind == "enum":
            return type_["symbols"][0]
        if kind == "fixed":
            return "\u0000" * type_["size"]
        if kind == "record":
            return {f["name"]: self.default_for(f["type"]) for f in type_["fields"]}
        raise ValueError(kind)

    def field(self, index, depth):
        field = {"name": f"f{index}", "type": self.type(depth)}
        if self.random.random() < 0.3:
            field["default"] = self.default_for(field["type"])
        return field

    def record(self, depth=0):
        fields = [self.field(i, depth) for i in range(self.random.randint(1, 5))]
        record = {"type": "record", "name": self.name("R"), "fields": fields}
        if depth == 0 and self.random.random() < 0.3:
            record["namespace"] = "com.example"
        return record

    # Evolution steps: each returns a new schema from `schema`.

    def evolve(self, schema):
        new = copy.deepcopy(schema)
        step = self.random.choice([self.add_field, self.remove_field, self.change_type, self.change_enum,
                                   self.change_union, self.rename_field_with_alias, self.rename_record,
                                   self.change_fixed_size])
        step(new)
        return new

    def add_field(self, record):
        field = self.field(len(record["fields"]) + 100, 1)
        if self.random.random() < 0.5:
            field["default"] = self.default_for(field["type"])
        else:
            field.pop("default", None)
        record["fields"].append(field)

    def remove_field(self, record):
        if len(record["fields"]) > 1:
            record["fields"].pop(self.random.randrange(len(record["fields"])))

    def change_type(self, record):
        field = self.random.choice(record["fields"])
        current = field["type"]
        if isinstance(current, str) and current in PROMOTIONS and self.random.random() < 0.6:
            field["type"] = self.random.choice(PROMOTIONS[current])
        else:
            field["type"] = self.random.choice(PRIMITIVES[1:])
        field.pop("default", None)

    def change_enum(self, record):
        for field in record["fields"]:
            if isinstance(field["type"], dict) and field["type"]["type"] == "enum":
                symbols = field["type"]["symbols"]
                if self.random.random() < 0.5 and len(symbols) > 1:
                    symbols.pop()
                    if field["type"].get("default") not in symbols:
                        field["type"].pop("default", None)
                        field.pop("default", None)
                else:
                    symbols.append(f"S{len(symbols) + 10}")
                return
        self.add_field(record)

    def change_union(self, record):
        field = self.random.choice(record["fields"])
        if isinstance(field["type"], list):
            if self.random.random() < 0.5 and len(field["type"]) > 1:
                field["type"].pop()
            else:
                extra = [t for t in ["float", "bytes", "int", "string"] if t not in field["type"]]
                if extra:
                    field["type"].append(extra[0])
        else:
            base = field["type"]
            field["type"] = ["null", base] if base != "null" else ["null", "string"]
            field.pop("default", None)

    def rename_field_with_alias(self, record):
        field = self.random.choice(record["fields"])
        old = field["name"]
        field["name"] = old + "_renamed"
        if self.random.random() < 0.7:
            field["aliases"] = [old]

    def rename_record(self, record):
        old = record["name"]
        record["name"] = old + "X"
        if self.random.random() < 0.5:
            # Fully qualified alias: Java and Python agree on those.
            record["aliases"] = [(record["namespace"] + "." if "namespace" in record else "") + old]

    def change_fixed_size(self, record):
        for field in record["fields"]:
            if isinstance(field["type"], dict) and field["type"]["type"] == "fixed":
                field["type"]["size"] += 1
                return
        self.change_type(record)
