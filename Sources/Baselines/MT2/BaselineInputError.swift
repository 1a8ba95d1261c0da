/// Why an MT2 or MAOS estimator cannot run on its input; each case names what is wrong.
public enum BaselineInputError: Error, Equatable, CustomStringConvertible {
    /// The `pairing` array holds a value other than 0 or 1.
    case badPairing(event: Int, value: Int64)
    /// A numeric option is out of range (name, value, requirement).
    case badOption(name: String, value: Double, requirement: String)

    public var description: String {
        switch self {
        case .badPairing(let i, let v): "array 'pairing' holds \(v) at event \(i), expected 0 or 1"
        case .badOption(let n, let v, let r): "option \(n) = \(v) is invalid: \(r)"
        }
    }
}
