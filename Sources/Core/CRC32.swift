import CZlib

/// CRC-32 (ISO-HDLC, polynomial 0xEDB88320 reflected, the checksum of zip and gzip).
///
/// Two implementations: zlib's `crc32` and a table-driven slicing-by-8 one written here.
/// `update` uses zlib's, which measured faster (see benchmarks/RESULTS.md, "npz").
public enum CRC32 {
    /// Continues a running CRC over `bytes` (start from 0) with zlib's implementation.
    @inlinable
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        zlib(crc, bytes)
    }

    /// CRC of a whole byte array.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { update(0, $0) }
    }

    /// zlib's `crc32`, fed in pieces below 4 GiB (its length argument is 32-bit).
    public static func zlib(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard var p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return crc }
        var left = bytes.count
        var c = UInt(crc)
        while left > 0 {
            let n = min(left, 1 << 30)
            c = crc32(c, p, UInt32(n))
            p += n
            left -= n
        }
        return UInt32(truncatingIfNeeded: c)
    }

    /// Slicing-by-8 tables: table k maps a byte to its CRC contribution k bytes ahead.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
            t[i] = c
        }
        for k in 1..<8 {
            for i in 0..<256 {
                let prev = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (prev >> 8) ^ t[Int(prev & 0xFF)]
            }
        }
        return t
    }()

    /// The same CRC computed by this module's slicing-by-8 implementation (8 bytes per step).
    public static func slicingBy8(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c = ~crc
        var i = 0
        let n = bytes.count
        tables.withUnsafeBufferPointer { t in
            while n - i >= 8 {
                let lo = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt32.self)) ^ c
                let hi = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self))
                c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                i += 8
            }
            while i < n {
                c = (c >> 8) ^ t[Int((c ^ UInt32(bytes[i])) & 0xFF)]
                i += 1
            }
        }
        return ~c
    }
}
