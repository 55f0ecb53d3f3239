import CCRC32C

/// CRC-32C (Castagnoli), the checksum of RecordBatch v2: reflected polynomial 0x82F63B78,
/// initial value and final XOR 0xFFFFFFFF. Uses the CPU's `crc32` instruction when it has one.
public enum CRC32C {
    /// The CRC-32C of `bytes`, continuing from `crc` (0 to start a new checksum).
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return ccrc32c_update(crc, base, bytes.count)
    }

    /// The CRC-32C of a byte sequence (convenience for tests and small inputs).
    public static func checksum<Bytes: Sequence>(of bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        let array = Array(bytes)
        return array.withUnsafeBytes { checksum($0) }
    }

    /// The table implementation, used on CPUs without the instruction; exposed for tests.
    static func portableChecksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return ccrc32c_update_portable(crc, base, bytes.count)
    }

    /// Whether the hardware instruction is in use (reported by the benchmark).
    public static var usesHardware: Bool { ccrc32c_is_hardware() != 0 }
}
