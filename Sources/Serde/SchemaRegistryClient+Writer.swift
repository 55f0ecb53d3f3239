extension SchemaRegistryClient {
    /// The registered schema a serializer writes under `subject`, as Confluent's serializers
    /// choose it: the subject's latest version with `useLatestVersion`, else `schema` registered
    /// (`autoRegisterSchemas`) or looked up. A lookup that finds nothing is
    /// ``SerdeError/schemaNotRegistered(subject:)``.
    func writerSchema(subject: String, schema: Schema?, options: SerializerOptions) async throws(SerdeError) -> RegisteredSchema {
        do {
            if options.useLatestVersion {
                return try await latestVersion(subject: subject)
            } else if options.autoRegisterSchemas {
                return try await register(subject: subject, schema: schema!, normalize: options.normalizeSchemas)
            } else {
                return try await lookup(subject: subject, schema: schema!, normalize: options.normalizeSchemas)
            }
        } catch {
            if !options.useLatestVersion && !options.autoRegisterSchemas && [40401, 40403].contains(error.errorCode) {
                throw .schemaNotRegistered(subject: subject)
            }
            throw .registry(error, subject: subject)
        }
    }
}
