import Foundation

/// Where `consume --from` starts reading, and where `group reset-offsets --to-datetime` points.
enum StartPosition: Equatable {
    /// The first offset still in the log (`beginning`, `earliest`, `start`).
    case beginning
    /// After the last record: only new records (`end`, `latest`).
    case end
    /// An absolute offset.
    case offset(Int64)
    /// `-N`: the last N records of each partition.
    case fromEnd(Int64)
    /// The first record at or after this time (ms since the epoch).
    case timestamp(Int64)

    /// Parses `beginning | end | OFFSET | -N | @MS | ISO-8601`.
    init(parsing text: String) throws {
        switch text.lowercased() {
        case "beginning", "earliest", "start", "oldest": self = .beginning
        case "end", "latest", "newest": self = .end
        default:
            if let offset = Int64(text), offset >= 0 {
                self = .offset(offset)
            } else if text.hasPrefix("-"), let count = Int64(text.dropFirst()), count > 0 {
                self = .fromEnd(count)
            } else if text.hasPrefix("@"), let ms = Int64(text.dropFirst()), ms >= 0 {
                self = .timestamp(ms)
            } else if let ms = Self.parseDate(text) {
                self = .timestamp(ms)
            } else {
                throw CommandFailure(message: """
                    cannot read "\(text)" as a position: use beginning, end, an offset (42), -N (the last N records), \
                    @MS (milliseconds since the epoch) or an ISO-8601 time (2026-12-03T10:15:00Z)
                    """, exitCode: 2)
            }
        }
    }

    /// ISO-8601 with or without fractional seconds or a zone (UTC when none), or a date.
    static func parseDate(_ text: String) -> Int64? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        let local = ISO8601DateFormatter()
        local.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        local.timeZone = TimeZone(identifier: "UTC")
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate, .withDashSeparatorInDate]
        day.timeZone = TimeZone(identifier: "UTC")
        for formatter in [withFraction, plain, local, day] {
            if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        }
        return nil
    }
}
