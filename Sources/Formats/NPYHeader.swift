/// The header of a .npy array (format versions 1.0, 2.0 and 3.0): dtype descriptor,
/// memory order and shape. Encoding reproduces numpy 2's `numpy.lib.format` byte for
/// byte: sorted dict keys, growth padding after the dict, total header a multiple of 64.
struct NPYHeader: Equatable {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

    /// numpy leaves room for the event axis to grow to this many digits.
    private static let growthAxisMaxDigits = 21

    var elementCount: Int { shape.reduce(1, *) }

    /// Python repr of the shape tuple: `()`, `(5,)`, `(5, 4)`.
    var shapeRepr: String {
        switch shape.count {
        case 0: "()"
        case 1: "(\(shape[0]),)"
        default: "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
    }

    /// Magic, version, header length and the padded header dict.
    func encoded() -> [UInt8] {
        var dict = "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(shapeRepr), }"
        if let first = shape.first {
            dict += String(repeating: " ", count: max(0, Self.growthAxisMaxDigits - String(first).count))
        }
        let hlen = dict.utf8.count + 1
        var lengthBytes = 2
        var pad = 64 - ((8 + lengthBytes + hlen) % 64)
        if hlen + pad > Int(UInt16.max) {
            lengthBytes = 4
            pad = 64 - ((8 + lengthBytes + hlen) % 64)
        }
        var out = Self.magic
        out += [lengthBytes == 2 ? 1 : 2, 0]
        let total = UInt32(hlen + pad)
        for k in 0..<lengthBytes { out.append(UInt8((total >> (8 * UInt32(k))) & 0xFF)) }
        out += Array(dict.utf8)
        out += [UInt8](repeating: 0x20, count: pad)
        out.append(0x0A)
        return out
    }

    /// Bytes needed to know the full header length: magic, version and the length field.
    static let prefixLength = 12

    /// Total header size (prefix plus dict) given at least `prefixLength` leading bytes,
    /// or a reason why these bytes are not a .npy header.
    static func headerSize(_ prefix: ArraySlice<UInt8>) -> Result<Int, NPYProblem> {
        let p = Array(prefix)
        guard p.count >= 10, Array(p[0..<6]) == magic else { return .failure(NPYProblem("not a .npy array (bad magic)")) }
        switch p[6] {
        case 1: return .success(10 + (Int(p[8]) | Int(p[9]) << 8))
        case 2, 3:
            guard p.count >= 12 else { return .failure(NPYProblem("truncated .npy header")) }
            let n = Int(p[8]) | Int(p[9]) << 8 | Int(p[10]) << 16 | Int(p[11]) << 24
            return .success(12 + n)
        default: return .failure(NPYProblem("unsupported .npy format version \(p[6]).\(p[7])"))
        }
    }

    /// Parses a complete header (`headerSize` bytes).
    static func parse(_ bytes: ArraySlice<UInt8>) -> Result<NPYHeader, NPYProblem> {
        let b = Array(bytes)
        let start = b[6] == 1 ? 10 : 12
        let text: String = b[6] == 3
            ? String(decoding: b[start...], as: UTF8.self)
            : String(String.UnicodeScalarView(b[start...].map { Unicode.Scalar($0) }))
        var parser = DictParser(Array(text.unicodeScalars))
        guard let dict = parser.parseDict() else { return .failure(NPYProblem("malformed .npy header dict: \(text.trimmed)")) }
        guard case .string(let descr)? = dict["descr"] else {
            if dict["descr"] != nil { return .failure(NPYProblem("unsupported dtype (structured) in .npy header")) }
            return .failure(NPYProblem("'descr' missing from .npy header"))
        }
        guard case .bool(let fortran)? = dict["fortran_order"] else {
            return .failure(NPYProblem("'fortran_order' missing from .npy header"))
        }
        guard case .tuple(let shape)? = dict["shape"], shape.allSatisfy({ $0 >= 0 }) else {
            return .failure(NPYProblem("'shape' missing or invalid in .npy header"))
        }
        return .success(NPYHeader(descr: descr, fortranOrder: fortran, shape: shape))
    }
}

/// Why bytes are not a valid .npy header.
struct NPYProblem: Error {
    let why: String
    init(_ why: String) { self.why = why }
}

/// A tiny parser for the Python dict literal of a .npy header.
private struct DictParser {
    enum Value: Equatable { case string(String), bool(Bool), tuple([Int]), other }
    let s: [Unicode.Scalar]
    var i = 0
    init(_ s: [Unicode.Scalar]) { self.s = s }

    mutating func skipSpace() { while i < s.count, s[i].properties.isWhitespace { i += 1 } }

    mutating func parseDict() -> [String: Value]? {
        skipSpace()
        guard i < s.count, s[i] == "{" else { return nil }
        i += 1
        var out: [String: Value] = [:]
        while true {
            skipSpace()
            guard i < s.count else { return nil }
            if s[i] == "}" { return out }
            guard let key = parseString() else { return nil }
            skipSpace()
            guard i < s.count, s[i] == ":" else { return nil }
            i += 1
            skipSpace()
            guard let v = parseValue() else { return nil }
            out[key] = v
            skipSpace()
            if i < s.count, s[i] == "," { i += 1 }
        }
    }

    mutating func parseString() -> String? {
        guard i < s.count, s[i] == "'" || s[i] == "\"" else { return nil }
        let q = s[i]
        i += 1
        var out = String.UnicodeScalarView()
        while i < s.count, s[i] != q { out.append(s[i]); i += 1 }
        guard i < s.count else { return nil }
        i += 1
        return String(out)
    }

    mutating func parseValue() -> Value? {
        guard i < s.count else { return nil }
        if s[i] == "'" || s[i] == "\"" { return parseString().map { .string($0) } }
        if s[i] == "(" {
            i += 1
            var items: [Int] = []
            while true {
                skipSpace()
                guard i < s.count else { return nil }
                if s[i] == ")" { i += 1; return .tuple(items) }
                var digits = ""
                while i < s.count, ("0"..."9").contains(s[i]) { digits.unicodeScalars.append(s[i]); i += 1 }
                if i < s.count, s[i] == "L" { i += 1 }
                guard let n = Int(digits) else { return nil }
                items.append(n)
                skipSpace()
                if i < s.count, s[i] == "," { i += 1 }
            }
        }
        if s[i] == "[" {
            var depth = 0
            while i < s.count {
                if s[i] == "[" { depth += 1 }
                if s[i] == "]" { depth -= 1; if depth == 0 { i += 1; return .other } }
                i += 1
            }
            return nil
        }
        for (word, v) in [("True", Value.bool(true)), ("False", Value.bool(false))] {
            let w = Array(word.unicodeScalars)
            if i + w.count <= s.count, Array(s[i..<(i + w.count)]) == w { i += w.count; return v }
        }
        return nil
    }
}

extension String {
    /// The string without leading/trailing whitespace, for messages.
    var trimmed: String {
        let scalars = unicodeScalars
        guard let a = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let b = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[a...b])
    }
}
