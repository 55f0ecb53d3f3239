/// How a serializer finds the schema id it writes; Confluent's settings of the same names.
public struct SerializerOptions: Sendable {
    /// Register the serializer's schema under the subject (else only look it up, and fail when
    /// it is not there). Default true.
    public var autoRegisterSchemas: Bool
    /// Write with the subject's latest version instead of the serializer's own schema (nothing is
    /// registered). Default false.
    public var useLatestVersion: Bool
    /// Ask the registry to normalize the schema before lookup and registration. Default false.
    public var normalizeSchemas: Bool
    public var subjectNameStrategy: SubjectNameStrategy

    public init(autoRegisterSchemas: Bool = true, useLatestVersion: Bool = false, normalizeSchemas: Bool = false,
                subjectNameStrategy: SubjectNameStrategy = .topicName) {
        self.autoRegisterSchemas = autoRegisterSchemas
        self.useLatestVersion = useLatestVersion
        self.normalizeSchemas = normalizeSchemas
        self.subjectNameStrategy = subjectNameStrategy
    }
}

/// How a deserializer picks its reader schema.
public struct DeserializerOptions: Sendable {
    /// Read into the subject's latest version (resolved from each record's writer schema) when
    /// no reader schema is given. Default false: without a reader schema, data is read with its
    /// writer schema.
    public var useLatestVersion: Bool
    /// The strategy that names the subject for `useLatestVersion`.
    public var subjectNameStrategy: SubjectNameStrategy

    public init(useLatestVersion: Bool = false, subjectNameStrategy: SubjectNameStrategy = .topicName) {
        self.useLatestVersion = useLatestVersion
        self.subjectNameStrategy = subjectNameStrategy
    }
}
