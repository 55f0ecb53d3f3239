import OrderedJSON
import RegistryCore

extension SchemaRegistry {
    // MARK: Compatibility level (`/config`)

    func getConfig(subject: String?, defaultToGlobal: Bool) throws(RegistryError) -> String {
        let level: CompatibilityLevel
        if let subject {
            if let own = state.subjectCompatibility[subject] {
                level = own
            } else if defaultToGlobal {
                level = state.compatibility(for: nil)
            } else {
                throw RegistryError.subjectCompatibilityNotConfigured(subject)
            }
        } else {
            level = state.compatibility(for: nil)
        }
        return "{\"compatibilityLevel\":\"\(level.rawValue)\"}"
    }

    func putConfig(subject: String?, body: JSONValue) async throws(RegistryError) -> String {
        try await exclusively { () async throws(RegistryError) -> String in try await putConfigLocked(subject: subject, body: body) }
    }

    private func putConfigLocked(subject: String?, body: JSONValue) async throws(RegistryError) -> String {
        guard case .object = body else { throw RegistryError.unprocessable("the request body must be a JSON object") }
        if let subject { try Self.validateSubject(subject) }
        guard let name = body["compatibility"]?.stringValue ?? body["compatibilityLevel"]?.stringValue,
              let level = CompatibilityLevel(rawValue: name.uppercased()) else {
            throw RegistryError.invalidCompatibilityLevel
        }
        try requireSettingsWritable(subject)
        try await write(.config(subject: subject), Array("{\"compatibilityLevel\":\"\(level.rawValue)\"}".utf8))
        return "{\"compatibility\":\"\(level.rawValue)\"}"
    }

    func deleteConfig(subject: String?) async throws(RegistryError) -> String {
        try await exclusively { () async throws(RegistryError) -> String in try await deleteConfigLocked(subject: subject) }
    }

    private func deleteConfigLocked(subject: String?) async throws(RegistryError) -> String {
        try requireSettingsWritable(subject)
        if let subject {
            guard let previous = state.subjectCompatibility[subject] else { throw RegistryError.subjectNotFound(subject) }
            try await write(.config(subject: subject), nil)
            return "{\"compatibilityLevel\":\"\(previous.rawValue)\"}"
        }
        let previous = state.compatibility(for: nil)
        if state.globalCompatibility != nil { try await write(.config(subject: nil), nil) }
        return "{\"compatibilityLevel\":\"\(previous.rawValue)\"}"
    }

    /// Config writes are refused in read-only mode.
    private func requireSettingsWritable(_ subject: String?) throws(RegistryError) {
        let mode = state.mode(for: subject)
        if mode == .readOnly || mode == .readOnlyOverride {
            throw RegistryError.operationNotPermitted("Subject \(subject ?? "") in context . is in read-only mode")
        }
    }

    // MARK: Mode (`/mode`)

    func getMode(subject: String?, defaultToGlobal: Bool) throws(RegistryError) -> String {
        if let subject {
            if let own = state.subjectModes[subject] { return "{\"mode\":\"\(own.rawValue)\"}" }
            guard defaultToGlobal else { throw RegistryError.subjectModeNotConfigured(subject) }
        }
        return "{\"mode\":\"\(state.mode(for: nil).rawValue)\"}"
    }

    func putMode(subject: String?, body: JSONValue, force: Bool) async throws(RegistryError) -> String {
        try await exclusively { () async throws(RegistryError) -> String in try await putModeLocked(subject: subject, body: body, force: force) }
    }

    private func putModeLocked(subject: String?, body: JSONValue, force: Bool) async throws(RegistryError) -> String {
        guard case .object = body else { throw RegistryError.unprocessable("the request body must be a JSON object") }
        guard let name = body["mode"]?.stringValue, let mode = RegistryMode(rawValue: name.uppercased()) else {
            throw RegistryError.invalidMode
        }
        if mode == .forward && subject != nil {
            throw RegistryError(42204, "Forward mode only supported on global level")
        }
        if let subject { try Self.validateSubject(subject) }
        if mode == .importing && state.mode(for: subject) != .importing {
            let affected = subject.map { [$0] } ?? state.subjectNames(includeDeleted: true)
            let hasSubjects = affected.contains { !state.versions(of: $0).isEmpty }
            if hasSubjects && !force {
                throw RegistryError.operationNotPermitted("Cannot import since found existing subjects")
            }
        }
        var value = "{"
        if let subject { value += "\"subject\":\(JSONValue.quoted(subject))," }
        value += "\"mode\":\"\(mode.rawValue)\"}"
        try await write(.mode(subject: subject), Array(value.utf8))
        return "{\"mode\":\"\(mode.rawValue)\"}"
    }

    func deleteMode(subject: String?) async throws(RegistryError) -> String {
        try await exclusively { () async throws(RegistryError) -> String in try await deleteModeLocked(subject: subject) }
    }

    private func deleteModeLocked(subject: String?) async throws(RegistryError) -> String {
        if let subject {
            guard let previous = state.subjectModes[subject] else { throw RegistryError.subjectNotFound(subject) }
            try await write(.mode(subject: subject), nil)
            return "{\"mode\":\"\(previous.rawValue)\"}"
        }
        let previous = state.mode(for: nil)
        if state.globalMode != nil { try await write(.mode(subject: nil), nil) }
        return "{\"mode\":\"\(previous.rawValue)\"}"
    }
}
