import Crypto

/// Fingerprints of a schema's Parsing Canonical Form, as the Avro specification defines them.
public enum AvroFingerprint {
    /// CRC-64-AVRO's initial value (the fingerprint of no bytes).
    public static let rabinEmpty: UInt64 = 0xc15d_213a_a4d7_a795

    private static let rabinTable: [UInt64] = (0..<256).map { index in
        var fingerprint = UInt64(index)
        for _ in 0..<8 {
            fingerprint = (fingerprint >> 1) ^ (rabinEmpty & (0 &- (fingerprint & 1)))
        }
        return fingerprint
    }

    /// CRC-64-AVRO (Rabin) of `bytes`.
    public static func rabin<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var fingerprint = rabinEmpty
        for byte in bytes {
            fingerprint = (fingerprint >> 8) ^ rabinTable[Int((fingerprint ^ UInt64(byte)) & 0xFF)]
        }
        return fingerprint
    }

    /// The Rabin fingerprint as Java returns it by name and single-object encoding writes it:
    /// 8 bytes, little-endian.
    public static func rabinBytes(_ text: String) -> [UInt8] {
        withUnsafeBytes(of: rabin(text.utf8).littleEndian, Array.init)
    }

    public static func md5(_ text: String) -> [UInt8] {
        Array(Insecure.MD5.hash(data: Array(text.utf8)))
    }

    public static func sha256(_ text: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(text.utf8)))
    }
}

extension AvroSchema {
    /// CRC-64-AVRO of the canonical form.
    public var rabinFingerprint: UInt64 { AvroFingerprint.rabin(canonicalForm.utf8) }
}
