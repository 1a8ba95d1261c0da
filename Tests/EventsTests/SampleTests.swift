import Testing
@testable import Events

@Suite struct SampleTests {
    @Test func keysKeepInsertionOrderAndSelectGathersRows() throws {
        var s = Sample(kind: .antler)
        s[Key.a1] = .fourVectors([1, 2, 3, 4, 5, 6, 7, 8])
        s[Key.met] = .transverse([9, 10, 11, 12])
        #expect(s.keys == ["a1", "met"])
        #expect(s.count == 2)
        let t = s.selecting([1])
        #expect(try t.fourVectors("a1") == [5, 6, 7, 8])
        #expect(try t.transverse("met") == [11, 12])
    }

    @Test func validateNamesKeyAndEvent() {
        var s = Sample(kind: .antler)
        s[Key.a1] = .fourVectors([1, 2, 3, 4, 5, .nan, 7, 8])
        #expect(throws: SampleError.nonFinite(key: "a1", event: 1)) { try s.validate(requiring: ["a1"]) }
        #expect(throws: SampleError.missingKey("a2")) { try s.validate(requiring: ["a2"]) }
        var t = Sample(kind: .antler)
        t[Key.a1] = .fourVectors([1, 2, 3, 4, 5, 6, 7, 8])
        t[Key.met] = .transverse([1, 2])
        #expect(throws: SampleError.rowMismatch(key: "met", rows: 1, expected: 2)) {
            try t.validate(requiring: ["a1", "met"])
        }
        #expect(throws: SampleError.wrongShape(key: "met", expected: "(N, 4) float64", found: [1, 2], dtype: "<f8")) {
            try t.fourVectors("met")
        }
    }
}
