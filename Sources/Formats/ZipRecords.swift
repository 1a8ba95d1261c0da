/// Little-endian byte assembly for zip records.
struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func u16(_ v: Int) { bytes += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    mutating func u32(_ v: UInt32) { for k in 0..<4 { bytes.append(UInt8((v >> (8 * UInt32(k))) & 0xFF)) } }
    mutating func u64(_ v: UInt64) { for k in 0..<8 { bytes.append(UInt8((v >> (8 * UInt64(k))) & 0xFF)) } }
    mutating func raw(_ b: [UInt8]) { bytes += b }
}

/// Little-endian reads from a byte array (bounds checked by the caller).
extension Array where Element == UInt8 {
    func u16(_ at: Int) -> Int { Int(self[at]) | Int(self[at + 1]) << 8 }
    func u32(_ at: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(self[at + $1]) << (8 * UInt32($1)) } }
    func u64(_ at: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 | UInt64(self[at + $1]) << (8 * UInt64($1)) } }
}

/// Constants of the PKWARE zip format (APPNOTE 6.3) as used here.
enum Zip {
    static let localSignature: UInt32 = 0x0403_4B50
    static let centralSignature: UInt32 = 0x0201_4B50
    static let endSignature: UInt32 = 0x0605_4B50
    static let end64Signature: UInt32 = 0x0606_4B50
    static let end64LocatorSignature: UInt32 = 0x0706_4B50
    static let zip64ExtraTag = 0x0001
    /// Fixed DOS date 1980-01-01, time 00:00:00: no wall-clock time in any file.
    static let dosDate = (0 << 9) | (1 << 5) | 1
    static let dosTime = 0
    /// Sizes and offsets at or above this need ZIP64 fields.
    static let zip64Limit: UInt64 = 0xFFFF_FFFF
    static let localHeaderSize = 30
    static let centralHeaderSize = 46
    static let endSize = 22
    static let end64Size = 56
    static let end64LocatorSize = 20
}

/// One STORED (uncompressed) entry of an archive being written: where it lies and
/// whether it needs ZIP64 fields. Sizes are known before any data is written.
struct StoredEntry {
    var name: String
    /// Offset of the local header in the archive.
    var headerOffset: UInt64
    /// Size of the entry's data (npy header plus array bytes).
    var size: UInt64
    var crc: UInt32 = 0
    /// ZIP64 sizes in the local and central headers.
    var zip64Size: Bool
    /// ZIP64 local-header offset in the central header.
    var zip64Offset: Bool

    init(name: String, headerOffset: UInt64, size: UInt64, threshold: UInt64) {
        self.name = name; self.headerOffset = headerOffset; self.size = size
        zip64Size = size >= threshold
        zip64Offset = headerOffset >= threshold
    }

    var versionNeeded: Int { zip64Size || zip64Offset ? 45 : 20 }
    var localHeaderLength: Int { Zip.localHeaderSize + name.utf8.count + (zip64Size ? 20 : 0) }
    var dataOffset: UInt64 { headerOffset + UInt64(localHeaderLength) }
    /// Offset of the CRC field in the local header, patched at finish.
    var crcOffset: UInt64 { headerOffset + 14 }

    func localHeader() -> [UInt8] {
        var w = ByteWriter()
        w.u32(Zip.localSignature)
        w.u16(versionNeeded); w.u16(0); w.u16(0)
        w.u16(Zip.dosTime); w.u16(Zip.dosDate)
        w.u32(crc)
        let small = zip64Size ? UInt32.max : UInt32(size)
        w.u32(small); w.u32(small)
        w.u16(name.utf8.count); w.u16(zip64Size ? 20 : 0)
        w.raw(Array(name.utf8))
        if zip64Size {
            w.u16(Zip.zip64ExtraTag); w.u16(16)
            w.u64(size); w.u64(size)
        }
        return w.bytes
    }

    func centralHeader() -> [UInt8] {
        var extra = ByteWriter()
        if zip64Size { extra.u64(size); extra.u64(size) }
        if zip64Offset { extra.u64(headerOffset) }
        var w = ByteWriter()
        w.u32(Zip.centralSignature)
        w.u16(3 << 8 | 45)  // made by: Unix, spec 4.5
        w.u16(versionNeeded); w.u16(0); w.u16(0)
        w.u16(Zip.dosTime); w.u16(Zip.dosDate)
        w.u32(crc)
        let small = zip64Size ? UInt32.max : UInt32(size)
        w.u32(small); w.u32(small)
        w.u16(name.utf8.count)
        w.u16(extra.bytes.isEmpty ? 0 : extra.bytes.count + 4)
        w.u16(0); w.u16(0); w.u16(0)
        w.u32(0o100644 << 16)  // regular file, rw-r--r--
        w.u32(zip64Offset ? UInt32.max : UInt32(headerOffset))
        w.raw(Array(name.utf8))
        if !extra.bytes.isEmpty {
            w.u16(Zip.zip64ExtraTag); w.u16(extra.bytes.count)
            w.raw(extra.bytes)
        }
        return w.bytes
    }
}

/// The end records after a central directory of `count` entries, `size` bytes at `offset`.
func zipEndRecords(count: Int, size: UInt64, offset: UInt64, threshold: UInt64, forceZip64: Bool) -> [UInt8] {
    let zip64 = forceZip64 || count >= 0xFFFF || size >= threshold || offset >= threshold
    var w = ByteWriter()
    if zip64 {
        let end64Offset = offset + size
        w.u32(Zip.end64Signature)
        w.u64(UInt64(Zip.end64Size - 12))
        w.u16(3 << 8 | 45); w.u16(45)
        w.u32(0); w.u32(0)
        w.u64(UInt64(count)); w.u64(UInt64(count))
        w.u64(size); w.u64(offset)
        w.u32(Zip.end64LocatorSignature)
        w.u32(0); w.u64(end64Offset); w.u32(1)
    }
    w.u32(Zip.endSignature)
    w.u16(0); w.u16(0)
    let n = zip64 && count >= 0xFFFF ? 0xFFFF : count
    w.u16(n); w.u16(n)
    w.u32(zip64 && size >= Zip.zip64Limit ? UInt32.max : UInt32(min(size, Zip.zip64Limit)))
    w.u32(zip64 ? UInt32.max : UInt32(offset))
    w.u16(0)
    return w.bytes
}
