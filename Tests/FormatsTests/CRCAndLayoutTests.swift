import Core
import Events
import Kinematics
import TestSupport
import Testing
@testable import Formats

@Suite struct CRCTests {
    /// The CRC-32 check value of "123456789" is 0xCBF43926 (the catalogue value of CRC-32/ISO-HDLC).
    @Test func checkValue() {
        let b = Array("123456789".utf8)
        #expect(CRC32.checksum(b) == 0xCBF4_3926)
        #expect(b.withUnsafeBytes { CRC32.slicingBy8(0, $0) } == 0xCBF4_3926)
    }

    /// Slicing-by-8 equals zlib's crc32 for every length 0..<80 at odd offsets, and running
    /// CRCs over pieces equal the one-shot CRC.
    @Test func slicingBy8MatchesZlibAndIsIncremental() {
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        let data = (0..<4099).map { _ -> UInt8 in x = x &* 6_364_136_223_846_793_005 &+ 1; return UInt8(x >> 56) }
        data.withUnsafeBytes { all in
            for start in [0, 1, 3, 7] {
                for n in 0..<80 {
                    let piece = UnsafeRawBufferPointer(rebasing: all[start..<(start + n)])
                    #expect(CRC32.slicingBy8(0, piece) == CRC32.zlib(0, piece))
                }
            }
            let whole = CRC32.zlib(0, all)
            #expect(CRC32.slicingBy8(0, all) == whole)
            var running: UInt32 = 0, mine: UInt32 = 0
            for cut in stride(from: 0, to: all.count, by: 1000) {
                let piece = UnsafeRawBufferPointer(rebasing: all[cut..<min(all.count, cut + 1000)])
                running = CRC32.update(running, piece)
                mine = CRC32.slicingBy8(mine, piece)
            }
            #expect(running == whole && mine == whole)
        }
    }
}

@Suite struct DeeLeMaLayoutTests {
    /// On the fixture (reco == truth), b_i, l_i, nu_i must be the true a_i, b_i, C_i of chain i,
    /// so each chain rebuilds the parent masses: m(l_i + nu_i) = m_B, m(b_i + l_i + nu_i) = m_A.
    @Test func chainsRebuildTheParentMasses() throws {
        let s = ChainFixture.ttbarLike(n: 200, mA: 1000, mB: 800, mC: 700, seed: 4242)
        let pairing = try #require(s[Key.pairing]?.integers)
        #expect(pairing.contains(0) && pairing.contains(1))  // both pairings exercised
        let d = try DeeLeMaLayout.convert(s)
        #expect(d.keys == DeeLeMaLayout.keys)
        func fv(_ k: String, _ i: Int) throws -> FourVector {
            let v = try d.fourVectors(k)
            return FourVector(e: v[4 * i], px: v[4 * i + 1], py: v[4 * i + 2], pz: v[4 * i + 3])
        }
        for i in 0..<s.count {
            for (b, l, nu) in [("b1", "l1", "nu1"), ("b2", "l2", "nu2")] {
                #expect(abs((try fv(l, i) + fv(nu, i)).mass - 800) < 1e-6)
                #expect(abs((try fv(b, i) + fv(l, i) + fv(nu, i)).mass - 1000) < 1e-6)
            }
        }
        #expect(try d.fourVectors("l1") == s.fourVectors(Key.trueb1))
        #expect(try d.fourVectors("nu2") == s.fourVectors(Key.trueC2))
        #expect(try d.transverse(Key.met) == s.transverse(Key.met))
    }

    @Test func refusesAntlerAndMissingTruth() {
        #expect(throws: SampleError.wrongTopology(expected: .ttbarLike, found: .antler)) {
            try DeeLeMaLayout.convert(ChainFixture.antler(n: 3, mD: 1000, mB: 400, mC: 100))
        }
        var s = ChainFixture.ttbarLike(n: 3, mA: 1000, mB: 800, mC: 700)
        s[Key.trueC2] = nil
        #expect(throws: SampleError.missingKey(Key.trueC2)) { try DeeLeMaLayout.convert(s) }
    }
}
