import ArgumentParser

/// Breit-Wigner widths for the endpoint fits, "M_A=1.32,M_B=2.085" (GeV, by estimate name).
struct EndpointWidths {
    var values: [String: Double]

    static let names = ["M_A", "M_B", "M_D"]

    /// Parses NAME=GEV pairs, saying what is wrong: an unknown name, a repeat, a width that is not >= 0.
    static func parse(_ argument: String) throws -> EndpointWidths {
        var values: [String: Double] = [:]
        for part in argument.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, names.contains(pair[0]) else {
                throw ValidationError("wants NAME=GeV with NAME one of \(names.joined(separator: ", ")) (e.g. M_A=1.32,M_B=2.085), got '\(part)'")
            }
            guard let w = Double(pair[1]), w.isFinite, w >= 0 else {
                throw ValidationError("width '\(pair[1])' of \(pair[0]) is not a number >= 0 (GeV)")
            }
            guard values[pair[0]] == nil else { throw ValidationError("\(pair[0]) is given twice") }
            values[pair[0]] = w
        }
        return EndpointWidths(values: values)
    }
}
