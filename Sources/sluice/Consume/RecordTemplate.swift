/// The `consume --format` template language, kcat's `-f`: text with `%` fields and `\`
/// escapes, parsed once and rendered for every record.
///
/// | token | is replaced by |
/// |---|---|
/// | `%t` | topic |
/// | `%p` | partition |
/// | `%o` | offset |
/// | `%k` / `%K` | key (bytes as stored, or decoded JSON) / key length in bytes (-1 for null) |
/// | `%s` / `%S` | value / value length in bytes (-1 for null) |
/// | `%T` | timestamp, ms since the epoch |
/// | `%h` | headers as `k1=v1,k2=v2` |
/// | `%%` | a percent sign |
/// | `\n` `\r` `\t` `\0` `\\` | newline, carriage return, tab, NUL, backslash |
///
/// A null key or value prints as nothing. Any other `%x` or `\x` is an error.
struct RecordTemplate: Equatable {
    enum Token: Equatable {
        case literal([UInt8])
        case topic, partition, offset, key, keyLength, value, valueLength, timestamp, headers
    }

    let tokens: [Token]

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    init(parsing text: String) throws(ParseError) {
        var tokens: [Token] = []
        var literal: [UInt8] = []
        let bytes = Array(text.utf8)
        var index = 0
        func flush() {
            if !literal.isEmpty { tokens.append(.literal(literal)) }
            literal = []
        }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "%") || byte == UInt8(ascii: "\\") else {
                literal.append(byte)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else {
                throw ParseError(description: "the format ends with a lone \(Character(Unicode.Scalar(byte))) (write %% or \\\\ for the character itself)")
            }
            let next = bytes[index + 1]
            index += 2
            if byte == UInt8(ascii: "\\") {
                switch next {
                case UInt8(ascii: "n"): literal.append(0x0A)
                case UInt8(ascii: "r"): literal.append(0x0D)
                case UInt8(ascii: "t"): literal.append(0x09)
                case UInt8(ascii: "0"): literal.append(0)
                case UInt8(ascii: "\\"): literal.append(UInt8(ascii: "\\"))
                default: throw ParseError(description: "unknown escape \\\(Character(Unicode.Scalar(next))) at position \(index - 1) (known: \\n \\r \\t \\0 \\\\)")
                }
                continue
            }
            let field: Token
            switch next {
            case UInt8(ascii: "%"):
                literal.append(UInt8(ascii: "%"))
                continue
            case UInt8(ascii: "t"): field = .topic
            case UInt8(ascii: "p"): field = .partition
            case UInt8(ascii: "o"): field = .offset
            case UInt8(ascii: "k"): field = .key
            case UInt8(ascii: "K"): field = .keyLength
            case UInt8(ascii: "s"): field = .value
            case UInt8(ascii: "S"): field = .valueLength
            case UInt8(ascii: "T"): field = .timestamp
            case UInt8(ascii: "h"): field = .headers
            default:
                throw ParseError(description: "unknown field %\(Character(Unicode.Scalar(next))) at position \(index - 1) (known: %t %p %o %k %K %s %S %T %h %%)")
            }
            flush()
            tokens.append(field)
        }
        flush()
        self.tokens = tokens
    }

    /// Writes one record.
    func render(_ record: RenderedRecord, to output: OutputBuffer) {
        for token in tokens {
            switch token {
            case .literal(let bytes): output.append(bytes: bytes)
            case .topic: output.append(record.topic)
            case .partition: output.append(String(record.partition))
            case .offset: output.append(String(record.offset))
            case .key: if let key = record.keyText { output.append(bytes: key) }
            case .keyLength: output.append(String(record.rawKeyLength))
            case .value: if let value = record.valueText { output.append(bytes: value) }
            case .valueLength: output.append(String(record.rawValueLength))
            case .timestamp: output.append(String(record.timestamp))
            case .headers:
                for (index, header) in record.headers.enumerated() {
                    if index > 0 { output.append(",") }
                    output.append(header.key)
                    output.append("=")
                    output.append(bytes: header.value ?? [])
                }
            }
        }
    }
}
