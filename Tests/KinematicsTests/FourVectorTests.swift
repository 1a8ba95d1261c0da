import Testing
@testable import Kinematics

@Suite struct FourVectorTests {
    // Hand-computed: p = (5, 3, 4, 0): m^2 = 25 - 9 - 16 = 0; pt = 5; phi = atan2(4, 3).
    @Test func massPtPhiOfHandComputedVector() {
        let v = FourVector(e: 5, px: 3, py: 4, pz: 0)
        #expect(abs(v.mass2) < 1e-12)
        #expect(v.pt == 5)
        #expect(abs(v.phi - 0.9272952180016122) < 1e-15)
        #expect(v.eta == 0)
    }

    // E = 10, pz = 6, px = py = 0: m = 8, y = 0.5 ln(16/4) = ln 2.
    @Test func rapidityAndSignedMass() {
        let v = FourVector(e: 10, px: 0, py: 0, pz: 6)
        #expect(abs(v.mass - 8) < 1e-12)
        #expect(abs(v.rapidity - 0.6931471805599453) < 1e-15)
        let spacelike = FourVector(e: 3, px: 4, py: 0, pz: 0)
        #expect(abs(spacelike.mass + 7.0.squareRoot()) < 1e-12)
    }

    // eta = asinh(pz/pt): pt = 1, pz = sinh(1.5) -> eta = 1.5.
    @Test func pseudorapidityRoundTrip() {
        let v = FourVector.fromPtEtaPhiM(pt: 37, eta: -1.5, phi: 2.1, mass: 4.7)
        #expect(abs(v.pt - 37) < 1e-12)
        #expect(abs(v.eta + 1.5) < 1e-12)
        #expect(abs(v.phi - 2.1) < 1e-12)
        #expect(abs(v.mass - 4.7) < 1e-9)
    }

    @Test(arguments: [(0.3, -0.2, 0.9), (0.99, 0, 0), (-0.5, 0.5, -0.7), (0, 0, 0.999999)])
    func boostPreservesMass(bx: Double, by: Double, bz: Double) {
        let v = FourVector(mass: 125, px: 40, py: -70, pz: 300)
        let w = v.boosted(bx: bx, by: by, bz: bz)
        #expect(abs(w.mass - 125) / 125 < 1e-12 * max(1, w.e / 125))
        let back = w.boosted(bx: -bx, by: -by, bz: -bz)
        #expect(abs(back.e - v.e) < 1e-9 * v.e)
        #expect(abs(back.pz - v.pz) < 1e-9 * v.e)
    }

    // A particle at rest boosted by beta = 0.6 along x: gamma = 1.25, E = 1.25 m, px = 0.75 m.
    @Test func boostOfParticleAtRest() {
        let rest = FourVector(e: 2, px: 0, py: 0, pz: 0)
        let w = rest.boosted(bx: 0.6, by: 0, bz: 0)
        #expect(abs(w.e - 2.5) < 1e-14)
        #expect(abs(w.px - 1.5) < 1e-14)
    }

    @Test func restFrameOfParentHasZeroMomentum() {
        let parent = FourVector(mass: 172.5, px: 120, py: -33, pz: -800)
        let r = parent.inRestFrame(of: parent)
        #expect(abs(r.px) < 1e-9 && abs(r.py) < 1e-9 && abs(r.pz) < 1e-9)
        #expect(abs(r.e - 172.5) < 1e-9)
    }

    // Top decay t -> b W at rest: q = sqrt(lambda(mt^2, mb^2, mW^2)) / (2 mt) with
    // mt = 172.5, mb = 4.7, mW = 80.38: q = 67.80578... (computed with numpy, float64).
    @Test func twoBodyMomentum() {
        let q = TwoBody.momentum(parentMass: 172.5, 4.7, 80.38)!
        let lam = TwoBody.kallen(172.5 * 172.5, 4.7 * 4.7, 80.38 * 80.38)
        #expect(abs(q - lam.squareRoot() / 345) < 1e-12)
        #expect(TwoBody.momentum(parentMass: 80, 40, 40.1) == nil)
        let (d1, d2) = TwoBody.decayAtRest(parentMass: 172.5, 4.7, 80.38, cosTheta: 0.3, phi: 1)!
        #expect(abs((d1 + d2).mass - 172.5) < 1e-10)
        #expect(abs(d1.mass - 4.7) < 1e-10 && abs(d2.mass - 80.38) < 1e-10)
    }

    // mT of massless lepton (pt 40 along x) and neutrino (pt 40 along -x): 2*40 = 80.
    @Test func transverseMass() {
        let mt = Transverse.mass(visibleMass: 0, px: 40, py: 0, invisibleMass: 0, qx: -40, qy: 0)
        #expect(abs(mt - 80) < 1e-12)
    }
}
