extension Sample {
    /// Appends the rows of `other`, which must have the same keys, row shapes and dtypes.
    public mutating func append(_ other: Sample) throws(SampleError) {
        if keys.isEmpty {
            let p = provenance
            self = other
            if p != nil { provenance = p }
            return
        }
        guard other.keys == keys else {
            let missing = Set(keys).symmetricDifference(other.keys).sorted().first ?? "?"
            throw .missingKey(missing)
        }
        for key in keys {
            guard var mine = self[key], let theirs = other[key] else { continue }
            guard Array(mine.shape.dropFirst()) == Array(theirs.shape.dropFirst()) else {
                throw .wrongShape(key: key, expected: "rows of shape \(Array(mine.shape.dropFirst()))",
                                  found: theirs.shape, dtype: theirs.data.dtype)
            }
            switch (mine.data, theirs.data) {
            case (.float64(var a), .float64(let b)): a.append(contentsOf: b); mine.data = .float64(a)
            case (.int64(var a), .int64(let b)): a.append(contentsOf: b); mine.data = .int64(a)
            case (.int32(var a), .int32(let b)): a.append(contentsOf: b); mine.data = .int32(a)
            default:
                throw .wrongShape(key: key, expected: "dtype \(mine.data.dtype)", found: theirs.shape, dtype: theirs.data.dtype)
            }
            mine.shape[0] += theirs.shape[0]
            self[key] = mine
        }
    }
}
