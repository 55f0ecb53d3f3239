import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress bar on stderr, drawn only when stderr is a terminal (a script piping
/// the output sees nothing). Redrawn at most every 100 ms; `finish` clears the line.
final class ProgressBar {
    private let total: Int64?
    private let label: String
    private let enabled: Bool
    var isEnabled: Bool { enabled }
    private var lastDraw: UInt64 = 0
    private let started: UInt64

    /// - Parameters:
    ///   - total: the number of units (bytes) when known; without it the bar shows counts only.
    ///   - enabled: nil decides by whether stderr is a terminal.
    init(label: String, total: Int64?, enabled: Bool? = nil) {
        self.label = label
        self.total = total.flatMap { $0 > 0 ? $0 : nil }
        self.enabled = enabled ?? Console.isTerminal(STDERR_FILENO)
        self.started = DispatchTime.now().uptimeNanoseconds
    }

    /// Redraws if 100 ms have passed: `done` units of the total, `items` records so far.
    func update(done: Int64, items: Int) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw >= 100_000_000 else { return }
        lastDraw = now
        draw(done: done, items: items, now: now)
    }

    func finish(done: Int64, items: Int) {
        guard enabled else { return }
        draw(done: done, items: items, now: DispatchTime.now().uptimeNanoseconds)
        Console.write(toStandardError: "\n")
    }

    private func draw(done: Int64, items: Int, now: UInt64) {
        let seconds = max(Double(now - started) / 1e9, 0.001)
        let rate = Double(items) / seconds
        var line = "\r\(label) "
        if let total {
            let fraction = min(1, Double(done) / Double(total))
            let width = 30
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            line += String(format: "%3.0f%% ", fraction * 100)
        }
        line += "\(items) records, \(Self.bytes(done)), \(Int(rate)) rec/s\u{1B}[K"
        Console.write(toStandardError: line)
    }

    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}

extension Console {
    /// Writes text to stderr as is (no newline added).
    static func write(toStandardError text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = systemWrite(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}

/// `write(2)`, named apart from the methods called `write` in this module.
func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
