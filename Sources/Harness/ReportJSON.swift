import Foundation

/// The JSON form of the harness's report files (`results.json`, `summary.json`, the
/// `deelema estimate` summary): pretty-printed with sorted keys (stable diffs), non-finite
/// numbers stored as the strings "nan", "inf", "-inf".
public protocol ReportJSON: Codable {}

extension ReportJSON {
    /// Pretty JSON with sorted keys; non-finite numbers as "nan", "inf", "-inf".
    public func json() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try e.encode(self)
    }

    /// Decodes what `json()` wrote (non-finite numbers from "nan", "inf", "-inf").
    public static func decode(_ data: Data) throws -> Self {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try d.decode(Self.self, from: data)
    }
}
