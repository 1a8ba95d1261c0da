import Events
import Testing

@Suite struct RolesTests {
    // The array names and their order as documented in README.md ("File formats and keys") and
    // docs/physics.md#sample-layout: the npz entry order of every generated file.
    static let ttbarTruthNames = ["true_A1", "true_A2", "true_B1", "true_B2", "true_C1", "true_C2",
                                  "true_a1", "true_a2", "true_b1", "true_b2"]
    static let antlerTruthNames = ["true_D", "true_B1", "true_B2", "true_C1", "true_C2", "true_a1", "true_a2"]

    @Test("truth roles give the documented keys in buffer order, the ISR jet last")
    func truthRolesMatchTheContract() {
        #expect(TTbarTruth.allCases.map(\.rawValue) == Array(0..<11))
        #expect(TTbarTruth.allCases.map(\.key) == Self.ttbarTruthNames + ["true_isr"])
        #expect(Key.truth(.ttbarLike) == Self.ttbarTruthNames)
        #expect(Key.truth(.ttbarLike, isr: true) == Self.ttbarTruthNames + ["true_isr"])
        #expect(AntlerTruth.allCases.map(\.rawValue) == Array(0..<8))
        #expect(AntlerTruth.allCases.map(\.key) == Self.antlerTruthNames + ["true_isr"])
        #expect(Key.truth(.antler, isr: false) == Self.antlerTruthNames)
        #expect(TTbarTruth.isr.rawValue == Key.truth(.ttbarLike).count)
        #expect(AntlerTruth.isr.rawValue == Key.truth(.antler).count)
    }

    @Test("reconstructed roles give a1 a2 (b1 b2) then the ISR jet")
    func recoRolesMatchTheContract() {
        #expect(TTbarReco.allCases.map(\.key) == ["a1", "a2", "b1", "b2", "isr"])
        #expect(AntlerReco.allCases.map(\.key) == ["a1", "a2", "isr"])
        #expect(Key.reconstructed(.ttbarLike) == ["a1", "a2", "b1", "b2"])
        #expect(Key.reconstructed(.antler, isr: true) == ["a1", "a2", "isr"])
        #expect(TTbarReco.allCases.map(\.rawValue) == Array(0..<5) && AntlerReco.allCases.map(\.rawValue) == Array(0..<3))
    }

    @Test("role keys are the Key constants the rest of the code spells")
    func keysAreTheConstants() {
        #expect(TTbarTruth.allCases.map(\.key) == [Key.trueA1, Key.trueA2, Key.trueB1, Key.trueB2, Key.trueC1, Key.trueC2,
                                                   Key.truea1, Key.truea2, Key.trueb1, Key.trueb2, Key.trueISR])
        #expect(AntlerTruth.allCases.map(\.key) == [Key.trueD, Key.trueB1, Key.trueB2, Key.trueC1, Key.trueC2,
                                                    Key.truea1, Key.truea2, Key.trueISR])
        #expect(TTbarReco.allCases.map(\.key) == [Key.a1, Key.a2, Key.b1, Key.b2, Key.isr])
        #expect(AntlerReco.allCases.map(\.key) == [Key.a1, Key.a2, Key.isr])
    }

    @Test("chain roles come in (chain 1, chain 2) pairs; visibles are the measured daughters")
    func chainPairs() {
        for (roles, keys) in [(TTbarTruth.chainRoles, TTbarTruth.allCases.map(\.key)),
                              (AntlerTruth.chainRoles, AntlerTruth.allCases.map(\.key))] {
            #expect(roles.count % 2 == 0)
            for r in stride(from: roles.lowerBound, to: roles.upperBound, by: 2) {
                #expect(keys[r].hasSuffix("1") && keys[r + 1].hasSuffix("2"))
                #expect(keys[r].dropLast() == keys[r + 1].dropLast())
            }
        }
        #expect(TTbarTruth.chainRoles == 0..<10 && AntlerTruth.chainRoles == 1..<7)
        #expect(TTbarTruth.visibles.map(\.key) == ["true_a1", "true_a2", "true_b1", "true_b2"])
        #expect(AntlerTruth.visibles.map(\.key) == ["true_a1", "true_a2"])
    }
}
