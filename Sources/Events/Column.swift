/// Element storage of one named array of a sample, row-major (C order), as numpy holds it.
public enum ColumnData: Sendable, Equatable {
    case float64([Double])
    case int64([Int64])
    case int32([Int32])

    /// Number of scalar elements.
    public var count: Int {
        switch self {
        case .float64(let v): v.count
        case .int64(let v): v.count
        case .int32(let v): v.count
        }
    }

    /// numpy dtype descriptor ("<f8", "<i8", "<i4").
    public var dtype: String {
        switch self {
        case .float64: "<f8"
        case .int64: "<i8"
        case .int32: "<i4"
        }
    }
}

/// One named array of a sample: a shape whose first axis is the event axis, and its data.
public struct Column: Sendable, Equatable {
    public var shape: [Int]
    public var data: ColumnData

    public init(shape: [Int], data: ColumnData) {
        precondition(shape.reduce(1, *) == data.count, "column shape \(shape) does not match \(data.count) elements")
        self.shape = shape
        self.data = data
    }

    /// An (N, 4) column of four-vectors (E, px, py, pz) per row.
    public static func fourVectors(_ flat: [Double]) -> Column {
        Column(shape: [flat.count / 4, 4], data: .float64(flat))
    }
    /// An (N, 2) column of transverse vectors (x, y) per row.
    public static func transverse(_ flat: [Double]) -> Column {
        Column(shape: [flat.count / 2, 2], data: .float64(flat))
    }
    /// An (N,) integer column.
    public static func ints(_ v: [Int32]) -> Column { Column(shape: [v.count], data: .int32(v)) }
    /// An (N,) 64-bit integer column.
    public static func longs(_ v: [Int64]) -> Column { Column(shape: [v.count], data: .int64(v)) }
    /// An (N,) float64 column.
    public static func scalars(_ v: [Double]) -> Column { Column(shape: [v.count], data: .float64(v)) }

    /// Number of rows (events); 1 for a 0-d array.
    public var rows: Int { shape.first ?? 1 }

    /// The float64 elements, or nil for integer columns.
    public var doubles: [Double]? { if case .float64(let v) = data { v } else { nil } }
    /// The elements as Int64 whatever the integer width; nil for float columns.
    public var integers: [Int64]? {
        switch data {
        case .int64(let v): v
        case .int32(let v): v.map(Int64.init)
        case .float64: nil
        }
    }
}
