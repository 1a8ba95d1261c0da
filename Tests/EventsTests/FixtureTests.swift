import Testing
import Events
import Kinematics
import TestSupport

@Suite struct FixtureTests {
    @Test func fixtureChainsAreOnShellAndConserveMomentum() throws {
        let s = ChainFixture.ttbarLike(n: 200, mA: 1000, mB: 800, mC: 700)
        let A1 = try s.fourVectors(Key.trueA1), B1 = try s.fourVectors(Key.trueB1)
        let a1 = try s.fourVectors(Key.truea1), b1 = try s.fourVectors(Key.trueb1), C1 = try s.fourVectors(Key.trueC1)
        for i in 0..<s.count {
            func v(_ x: [Double]) -> FourVector { FourVector(e: x[4*i], px: x[4*i+1], py: x[4*i+2], pz: x[4*i+3]) }
            #expect(abs(v(A1).mass - 1000) < 1e-8 && abs(v(B1).mass - 800) < 1e-8)
            let sum = v(a1) + v(b1) + v(C1)
            #expect(abs(sum.e - v(A1).e) < 1e-9 * v(A1).e && abs(sum.pz - v(A1).pz) < 1e-9 * v(A1).e)
        }
        let a = ChainFixture.antler(n: 50, mD: 1000, mB: 400, mC: 100)
        #expect(a.count == 50)
    }
}
