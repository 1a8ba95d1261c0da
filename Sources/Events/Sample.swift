/// A set of events of one topology held as named arrays (structs of arrays): each
/// particle role is one contiguous (N, 4) float64 array, as hot loops, BLAS and npz want.
public struct Sample: Sendable {
    public var kind: TopologyKind
    public var provenance: Provenance?
    /// Array names in insertion order (the order written to files).
    public private(set) var keys: [String] = []
    private var columns: [String: Column] = [:]

    public init(kind: TopologyKind, provenance: Provenance? = nil) {
        self.kind = kind
        self.provenance = provenance
    }

    /// Number of events (rows of the first array; 0 when empty).
    public var count: Int { keys.first.flatMap { columns[$0]?.rows } ?? 0 }

    public subscript(key: String) -> Column? {
        get { columns[key] }
        set {
            if let newValue {
                if columns[key] == nil { keys.append(key) }
                columns[key] = newValue
            } else if columns.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// Whether the sample has a truth record for its topology.
    public var hasTruth: Bool { Key.truth(kind).allSatisfy { columns[$0] != nil } }

    /// The flat (N*4) array of four-vectors under `key`, checked for shape (N, 4).
    public func fourVectors(_ key: String) throws(SampleError) -> [Double] {
        guard let c = columns[key] else { throw .missingKey(key) }
        guard c.shape.count == 2, c.shape[1] == 4, let v = c.doubles else {
            throw .wrongShape(key: key, expected: "(N, 4) float64", found: c.shape, dtype: c.data.dtype)
        }
        return v
    }

    /// The flat (N*2) MET array, checked for shape (N, 2).
    public func transverse(_ key: String) throws(SampleError) -> [Double] {
        guard let c = columns[key] else { throw .missingKey(key) }
        guard c.shape.count == 2, c.shape[1] == 2, let v = c.doubles else {
            throw .wrongShape(key: key, expected: "(N, 2) float64", found: c.shape, dtype: c.data.dtype)
        }
        return v
    }

    /// Checks that the given keys exist, all have the same number of rows, and hold only
    /// finite numbers. Throws naming the key and the first bad event.
    public func validate(requiring required: [String]) throws(SampleError) {
        var n: Int? = nil
        for key in required {
            guard let c = columns[key] else { throw .missingKey(key) }
            if let n, c.rows != n { throw .rowMismatch(key: key, rows: c.rows, expected: n) }
            n = c.rows
            if let v = c.doubles {
                let width = max(1, c.shape.dropFirst().reduce(1, *))
                for (i, x) in v.enumerated() where !x.isFinite {
                    throw .nonFinite(key: key, event: i / width)
                }
            }
        }
    }

    /// The rows `indices` of every array, in that order (provenance kept).
    public func selecting(_ indices: [Int]) -> Sample {
        var out = Sample(kind: kind, provenance: provenance)
        for key in keys {
            guard let c = columns[key] else { continue }
            let width = c.shape.dropFirst().reduce(1, *)
            var shape = c.shape
            if shape.isEmpty { out[key] = c; continue }
            shape[0] = indices.count
            switch c.data {
            case .float64(let v): out[key] = Column(shape: shape, data: .float64(gather(v, indices, width)))
            case .int64(let v): out[key] = Column(shape: shape, data: .int64(gather(v, indices, width)))
            case .int32(let v): out[key] = Column(shape: shape, data: .int32(gather(v, indices, width)))
            }
        }
        return out
    }

    private func gather<T>(_ v: [T], _ idx: [Int], _ width: Int) -> [T] {
        var out: [T] = []
        out.reserveCapacity(idx.count * width)
        for i in idx { out.append(contentsOf: v[(i * width)..<((i + 1) * width)]) }
        return out
    }
}

/// Why a sample cannot be used; every case names the array (and the event where relevant).
public enum SampleError: Error, Equatable, CustomStringConvertible {
    case missingKey(String)
    case wrongShape(key: String, expected: String, found: [Int], dtype: String)
    case rowMismatch(key: String, rows: Int, expected: Int)
    case nonFinite(key: String, event: Int)
    case wrongTopology(expected: TopologyKind, found: TopologyKind)
    /// The sample holds no events.
    case empty
    /// A four-vector with negative energy, or with E < |p| beyond rounding (event, E and |p| in GeV).
    case unphysical(key: String, event: Int, energy: Double, momentum: Double)
    /// `--pairing true` asked for on a t-tbar-like sample without the `pairing` array.
    case missingPairing

    public var description: String {
        switch self {
        case .missingKey(let k): "missing array '\(k)'"
        case .wrongShape(let k, let e, let f, let d): "array '\(k)' has shape \(f) dtype \(d), expected \(e)"
        case .rowMismatch(let k, let r, let e): "array '\(k)' has \(r) rows, expected \(e)"
        case .nonFinite(let k, let i): "array '\(k)' holds NaN or Inf at event \(i)"
        case .wrongTopology(let e, let f): "sample is \(f.rawValue), this needs \(e.rawValue)"
        case .empty: "the sample holds no events"
        case .unphysical(let k, let i, let e, let p):
            e < 0 ? "array '\(k)' has negative energy E = \(e) GeV at event \(i)"
                : "array '\(k)' has E = \(e) GeV < |p| = \(p) GeV at event \(i) (not a physical four-vector)"
        case .missingPairing:
            "missing array 'pairing' (the true a/b pairing): only --pairing true and the scoring against truth read it; use --pairing unknown for a sample of reconstructed objects only"
        }
    }
}
