import Foundation

/// Whether the machine has restarted since the node last started, from the kernel's boot id
/// (`/proc/sys/kernel/random/boot_id`, a random UUID per boot, shared by the containers of one
/// host).
///
/// It decides how much an unclean start must check. When only the process died (kill -9, a
/// crash), the kernel still holds every write the process made in its page cache, and will
/// write it out, so nothing before the end of a log can be damaged: only a batch cut short by
/// the death itself. When the machine went down, unsynced data may be torn or corrupt anywhere
/// after the last sync, and every batch there must pass its CRC. With no boot id (not Linux),
/// every unclean start is treated as a machine crash.
enum BootIdentity {
    static let path = "/proc/sys/kernel/random/boot_id"

    /// This boot's id, or nil where the kernel does not say.
    static func current() -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return id.isEmpty ? nil : id
    }

    /// Whether `file` holds `current` (a missing, unreadable or torn file is a different boot,
    /// the safe answer).
    static func sameBoot(recordedAt file: String, current: String?) -> Bool {
        guard let current, let recorded = try? String(contentsOfFile: file, encoding: .utf8) else { return false }
        return recorded == current
    }

    /// Writes this boot's id, replacing the file atomically (no sync: a record lost with a
    /// machine crash leaves the older boot's id, which makes the next start check everything).
    static func record(_ id: String?, at file: String) throws(LogStoreError) {
        guard let id else {
            unlink(file)
            return
        }
        do {
            try Data(id.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw LogStoreError(.io, "cannot write '\(file)': \(error.localizedDescription)")
        }
    }
}
