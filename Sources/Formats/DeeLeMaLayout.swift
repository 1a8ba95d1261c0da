import Events

/// The key layout read by the DeeLeMa reference code: per chain i (in TRUE chain order)
/// `b{i}` the first visible of the chain (the a-type object, e.g. the b-jet), `l{i}` the
/// second visible (b-type, e.g. the lepton), `nu{i}` the true invisible C_i; plus `met`.
/// All (N, 4) float64 (E, px, py, pz) GeV, `met` (N, 2).
public enum DeeLeMaLayout {
    /// The `Provenance.layout` value of converted samples.
    public static let name = "deelema"
    public static let b1 = "b1", b2 = "b2", l1 = "l1", l2 = "l2", nu1 = "nu1", nu2 = "nu2"
    /// The four-vector keys, in file order.
    public static let fourVectorKeys = [b1, b2, l1, l2, nu1, nu2]
    /// Every key of a converted sample, in file order.
    public static let keys = fourVectorKeys + [Key.met]

    /// Converts a t-tbar-like sample with truth to the reference layout: `b_i` = reconstructed
    /// `a_i` (chain i is the chain of reco a_i by convention), `l_i` = the reconstructed
    /// b-type object that `pairing` puts on chain i, `nu_i` = `true_C{i}`, `met` copied.
    /// Provenance is kept with `layout = "deelema"`.
    /// Throws for antler samples and for samples without `pairing` or the true invisibles.
    public static func convert(_ sample: Sample) throws(SampleError) -> Sample {
        guard sample.kind == .ttbarLike else { throw .wrongTopology(expected: .ttbarLike, found: sample.kind) }
        let required = Key.reconstructed(.ttbarLike) + [Key.met, Key.pairing, Key.trueC1, Key.trueC2]
        try sample.validate(requiring: required)
        let a1 = try sample.fourVectors(Key.a1), a2 = try sample.fourVectors(Key.a2)
        let rb1 = try sample.fourVectors(Key.b1), rb2 = try sample.fourVectors(Key.b2)
        guard let pc = sample[Key.pairing], pc.shape.count == 1, let pairing = pc.integers else {
            let c = sample[Key.pairing]!
            throw .wrongShape(key: Key.pairing, expected: "(N,) integer", found: c.shape, dtype: c.data.dtype)
        }
        let n = sample.count
        var lep1 = [Double](repeating: 0, count: 4 * n), lep2 = lep1
        for i in 0..<n {
            let swapped = pairing[i] != 0
            for k in 0..<4 {
                lep1[4 * i + k] = swapped ? rb2[4 * i + k] : rb1[4 * i + k]
                lep2[4 * i + k] = swapped ? rb1[4 * i + k] : rb2[4 * i + k]
            }
        }
        var provenance = sample.provenance
        provenance?.layout = name
        var out = Sample(kind: .ttbarLike, provenance: provenance)
        out[b1] = .fourVectors(a1)
        out[b2] = .fourVectors(a2)
        out[l1] = .fourVectors(lep1)
        out[l2] = .fourVectors(lep2)
        out[nu1] = .fourVectors(try sample.fourVectors(Key.trueC1))
        out[nu2] = .fourVectors(try sample.fourVectors(Key.trueC2))
        out[Key.met] = .transverse(try sample.transverse(Key.met))
        return out
    }
}
