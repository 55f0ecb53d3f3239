import KafkaClient

/// One `sluice produce`: turns lines into records, hands them to the producer and keeps the
/// receipts of the records in flight, so that each failed delivery is reported with its line
/// number without holding a receipt for every line of a large file.
struct ProduceRun {
    let topic: String
    let partition: Int32?
    let keySeparator: [UInt8]?
    let headers: [RecordHeader]
    let tombstone: Bool
    let keyEncoder: LineSchemaEncoder?
    let valueEncoder: LineSchemaEncoder?
    let failFast: Bool
    let progress: ProgressBar

    /// Receipts not yet checked, oldest first; checked once this many are waiting.
    private var inFlight: [(line: Int, receipt: DeliveryReceipt)] = []
    private let window = 50_000
    private(set) var produced = 0
    private(set) var failedLines = 0
    private var lastFailure: (first: Int, last: Int, reason: String)?
    private var bytesRead: Int64 = 0
    private var stopped = false

    init(topic: String, partition: Int32?, keySeparator: [UInt8]?, headers: [RecordHeader], tombstone: Bool,
         keyEncoder: LineSchemaEncoder?, valueEncoder: LineSchemaEncoder?, failFast: Bool, progress: ProgressBar) {
        self.topic = topic
        self.partition = partition
        self.keySeparator = keySeparator
        self.headers = headers
        self.tombstone = tombstone
        self.keyEncoder = keyEncoder
        self.valueEncoder = valueEncoder
        self.failFast = failFast
        self.progress = progress
        inFlight.reserveCapacity(window)
    }

    /// Reads every line and sends its record; stops early only with `failFast`.
    mutating func produce(from reader: inout LineReader, with producer: KafkaProducer) async throws {
        while !stopped, let line = try reader.next() {
            let number = reader.lineNumber
            bytesRead = reader.bytesRead
            do {
                let record = try record(for: line)
                // An unknown topic, a missing partition or a closed producer ends the run: no
                // later line can do better.
                let receipt = try await producer.send(record)
                inFlight.append((number, receipt))
                if inFlight.count >= window { await checkDeliveries(keeping: window / 2) }
            } catch let error as LineSchemaEncoder.LineError {
                fail(line: number, reason: error.description, grouped: false)
            }
            progress.update(done: bytesRead, items: produced + inFlight.count)
        }
    }

    /// Waits for every delivery, reports the last failures and throws when any line failed.
    mutating func finish() async throws {
        await checkDeliveries(keeping: 0)
        flushFailure()
        progress.finish(done: bytesRead, items: produced)
        if failedLines > 0 {
            throw CommandFailure(message: "\(failedLines) line\(failedLines == 1 ? "" : "s") failed, \(produced) record\(produced == 1 ? "" : "s") delivered to \(topic)")
        }
    }

    private func record(for line: ArraySlice<UInt8>) throws(LineSchemaEncoder.LineError) -> ProducerRecord {
        var keyPart: ArraySlice<UInt8>?
        var valuePart = line
        if let keySeparator {
            guard let at = Self.firstRange(of: keySeparator, in: line) else {
                throw LineSchemaEncoder.LineError(description: "no key separator in the line")
            }
            keyPart = line[line.startIndex..<at]
            valuePart = line[(at + keySeparator.count)...]
        }
        var key: [UInt8]? = keyPart.map(Array.init)
        if let keyEncoder, let keyPart { key = try keyEncoder.encode(keyPart) }
        var value: [UInt8]?
        if tombstone && valuePart.isEmpty {
            value = nil
        } else if let valueEncoder {
            value = try valueEncoder.encode(valuePart)
        } else {
            value = Array(valuePart)
        }
        return ProducerRecord(topic: topic, partition: partition, key: key, value: value, headers: headers)
    }

    static func firstRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard let first = needle.first else { return nil }
        if needle.count == 1 { return haystack.firstIndex(of: first) }
        var index = haystack.startIndex
        while let at = haystack[index...].firstIndex(of: first) {
            if haystack.count - (at - haystack.startIndex) < needle.count { return nil }
            if haystack[at..<at + needle.count].elementsEqual(needle) { return at }
            index = at + 1
        }
        return nil
    }

    /// Checks the oldest receipts until at most `keeping` are left.
    private mutating func checkDeliveries(keeping: Int) async {
        let count = inFlight.count - keeping
        guard count > 0 else { return }
        for (line, receipt) in inFlight[..<count] {
            do {
                _ = try await receipt.metadata()
                produced += 1
            } catch {
                fail(line: line, reason: "delivery failed: \(error)", grouped: true)
            }
        }
        inFlight.removeFirst(count)
    }

    /// Reports a failed line; a run of consecutive lines failing for one reason (a batch that
    /// was refused) is printed once as `lines A-B: reason`.
    private mutating func fail(line: Int, reason: String, grouped: Bool) {
        failedLines += 1
        if grouped, let last = lastFailure, last.reason == reason, last.last == line - 1 {
            lastFailure = (last.first, line, reason)
        } else {
            flushFailure()
            lastFailure = (line, line, reason)
        }
        if failFast {
            flushFailure()
            stopped = true
        }
    }

    private mutating func flushFailure() {
        guard let failure = lastFailure else { return }
        if progress.isEnabled { Console.write(toStandardError: "\r\u{1B}[K") }
        let lines = failure.first == failure.last ? "line \(failure.first)" : "lines \(failure.first)-\(failure.last)"
        Console.diagnostic("\(lines): \(failure.reason)")
        lastFailure = nil
    }
}
