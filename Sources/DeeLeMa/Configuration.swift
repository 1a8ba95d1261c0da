import Events

/// Which network outputs are free and which loss terms apply (docs/physics.md#deelema).
public enum LearnMode: String, Sendable, Codable, CaseIterable {
    /// 4 outputs (qx1, qy2, qz1, qz2); transverse balance and on-shell energies complete C1, C2.
    case none
    /// 6 outputs (qx1, qy1, qz1, qx2, qy2, qz2); on-shell energies; adds the total-pT term L_pT.
    case pt
    /// 6 outputs (qx1, qy2, qz1, qz2, E1, E2); balance completes qx2, qy1; free energies; adds L_C.
    case mc
    /// 8 outputs: two free four-vectors (E1, qx1, qy1, qz1, E2, qx2, qy2, qz2); adds L_pT and L_C.
    case ptMC = "pt_mc"

    /// Network output width.
    public var outputCount: Int {
        switch self {
        case .none: 4
        case .pt, .mc: 6
        case .ptMC: 8
        }
    }
    /// Whether the invisible energies are free (and L_C is in the loss).
    public var freeEnergies: Bool { self == .mc || self == .ptMC }
    /// Whether the invisible transverse momenta are both free (and L_pT is in the loss).
    public var freeTransverse: Bool { self == .pt || self == .ptMC }
}

/// What the two invisible transverse momenta must add up to.
public enum Completion: String, Sendable, Codable, CaseIterable {
    /// The measured missing transverse momentum `met` of the sample (default: robust to ISR and smearing).
    case met
    /// The reference code's form: minus the transverse sum of the visible objects (assumes no ISR).
    case visibleBalance = "visible-balance"
}

/// The frame the network sees an event in. Invariant masses and the transverse completion
/// target do not depend on it; the invisible momenta are reported in the lab frame.
public enum EventFrame: String, Sendable, Codable, CaseIterable {
    /// The detector frame (the reference).
    case lab
    /// Boosted along the beam so that the visible objects' total pz vanishes: removes the
    /// event's longitudinal boost, the largest source of spread in the inputs at a hadron collider.
    case visible
}

/// The distance d(x, y) in the loss terms, on masses in scaled units.
public enum LossMetric: String, Sendable, Codable, CaseIterable {
    /// |x - y| (every published DeeLeMa result).
    case l1
    /// Huber with delta 1: (x - y)^2 / 2 for |x - y| < 1, else |x - y| - 1/2.
    case huber
}

/// Every option of a DeeLeMa training run. Masses and the scale are in GeV.
public struct DeeLeMaConfig: Sendable, Codable, Equatable {
    public var mode: LearnMode = .none
    /// `.truth` uses the sample's `pairing` array; `.unknown` evaluates both pairings per event.
    public var pairing: PairingMode = .truth
    public var completion: Completion = .met
    /// The frame of the network inputs, the completion and the loss (default: `.visible`).
    public var frame: EventFrame = .visible
    public var loss: LossMetric = .l1
    public var epochs: Int = 100
    public var batchSize: Int = 2048
    /// Adam learning rate at epoch 0 (network weights).
    public var learningRate: Double = 1e-2
    /// Adam learning rate of the mass parameters u_B, u_A at epoch 0. The reference uses
    /// `learningRate` (1e-2) for them; 5e-2 lets the masses leave the reference start
    /// (M = M_C + scale, ...) about five times sooner, which is most of the reference's slow
    /// convergence, and does not change where they settle on the toy fixture.
    public var massLearningRate: Double = 5e-2
    /// Power of the polynomial decay lr_e = lr (1 - e/E)^power, per epoch.
    public var schedulePower: Double = 2
    public var hidden: Int = 256
    /// Number of completion hypotheses the network proposes per event (output heads of
    /// `mode.outputCount` numbers each). Each event is scored by its best head (lowest loss;
    /// with unknown pairing, the best head and pairing), and only that head is trained on it.
    /// 1 is the reference. Several heads let the network keep the distinct kinematic solutions
    /// of an event apart instead of averaging them, which biases the masses low (default 8).
    public var hypotheses: Int = 8
    /// Number of hidden [Linear(H, H), GELU] blocks after the first Linear(in, H), GELU.
    public var layers: Int = 5
    /// The fixed invisible mass M_C, GeV.
    public var mC: Double = 0
    /// Four-momenta are divided by this (GeV) before entering the network and the loss.
    public var scale: Double = 1000
    /// Seeds the weights, the 70/20/10 split and the shuffles.
    public var seed: UInt64 = 1
    /// BLAS and element-wise threads.
    public var threads: Int = 1
    /// Starting M_B, GeV (nil: the reference start u_B = 0, i.e. M_B = M_C + scale). Must exceed M_C.
    public var initialMassB: Double? = nil
    /// Starting M_A (M_D for the antler), GeV (nil: u = 0, i.e. M_A = M_B + scale, M_D = 2 M_B + scale).
    /// Must exceed M_B (2 M_B for M_D).
    public var initialMassA: Double? = nil
    /// Fractions of the sample used for training and validation; the rest is the test split.
    public var trainFraction: Double = 0.7
    public var validationFraction: Double = 0.2

    public init() {}

    /// The published recipe (docs/physics.md#deelema): L1, lr 1e-2 for all parameters (masses included),
    /// E 100, batch 2048, H 256, L 5, the reference mass start, visible-balance completion, the
    /// lab frame and a single completion hypothesis.
    public static func reference(mC: Double, scale: Double) -> DeeLeMaConfig {
        var c = DeeLeMaConfig()
        c.mC = mC; c.scale = scale
        c.massLearningRate = 1e-2
        c.completion = .visibleBalance
        c.frame = .lab
        c.hypotheses = 1
        return c
    }

    /// Checks the options; throws naming the bad one.
    public func validate() throws(DeeLeMaError) {
        func bad(_ name: String, _ why: String) -> DeeLeMaError { .badOption(name: name, reason: why) }
        if epochs < 1 { throw bad("epochs", "must be >= 1, got \(epochs)") }
        if batchSize < 1 { throw bad("batch", "must be >= 1, got \(batchSize)") }
        if !(learningRate > 0) { throw bad("lr", "must be > 0, got \(learningRate)") }
        if !(massLearningRate > 0) { throw bad("mass-lr", "must be > 0, got \(massLearningRate)") }
        if hidden < 1 { throw bad("hidden", "must be >= 1, got \(hidden)") }
        if hypotheses < 1 || hypotheses > 16 { throw bad("hypotheses", "must be between 1 and 16, got \(hypotheses)") }
        if layers < 0 { throw bad("layers", "must be >= 0, got \(layers)") }
        if !(mC >= 0) || !mC.isFinite { throw bad("mC", "must be finite and >= 0 GeV, got \(mC)") }
        if !(scale > 0) || !scale.isFinite { throw bad("scale", "must be finite and > 0 GeV, got \(scale)") }
        if let b = initialMassB, !(b > mC) || !b.isFinite { throw bad("initial-mB", "must exceed mC = \(mC) GeV, got \(b)") }
        if let a = initialMassA {
            let mB = initialMassB ?? (mC + scale)
            if !(a > mB) || !a.isFinite { throw bad("initial-mA", "must exceed M_B = \(mB) GeV (2 M_B for the antler's M_D), got \(a)") }
        }
        if threads < 1 { throw bad("threads", "must be >= 1, got \(threads)") }
        if !(trainFraction > 0) || !(validationFraction >= 0) || trainFraction + validationFraction > 1 {
            throw bad("split", "train \(trainFraction) and validation \(validationFraction) fractions must be > 0, >= 0 and sum to <= 1")
        }
    }
}

extension DeeLeMaConfig {
    /// Decodes every option, taking the default for one the JSON lacks (so checkpoints written
    /// before an option existed still load: `hypotheses` 1 and `frame` lab, what they used).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var d = DeeLeMaConfig()
        d.frame = .lab
        d.hypotheses = 1
        func take<V: Decodable>(_ key: CodingKeys, _ value: inout V) throws {
            if let v = try c.decodeIfPresent(V.self, forKey: key) { value = v }
        }
        try take(.mode, &d.mode); try take(.pairing, &d.pairing); try take(.completion, &d.completion)
        try take(.frame, &d.frame); try take(.loss, &d.loss); try take(.epochs, &d.epochs); try take(.batchSize, &d.batchSize)
        try take(.learningRate, &d.learningRate); try take(.massLearningRate, &d.massLearningRate)
        try take(.schedulePower, &d.schedulePower); try take(.hidden, &d.hidden); try take(.hypotheses, &d.hypotheses)
        try take(.layers, &d.layers); try take(.mC, &d.mC); try take(.scale, &d.scale); try take(.seed, &d.seed)
        try take(.threads, &d.threads); try take(.trainFraction, &d.trainFraction)
        try take(.validationFraction, &d.validationFraction)
        d.initialMassB = try c.decodeIfPresent(Double.self, forKey: .initialMassB)
        d.initialMassA = try c.decodeIfPresent(Double.self, forKey: .initialMassA)
        self = d
    }
}

/// Why DeeLeMa cannot proceed; every case says what is wrong and where.
public enum DeeLeMaError: Error, Equatable, CustomStringConvertible {
    case badOption(name: String, reason: String)
    case sample(String)
    case diverged(epoch: Int, step: Int, what: String)
    case checkpoint(path: String, reason: String)

    public var description: String {
        switch self {
        case .badOption(let n, let r): "DeeLeMa option '\(n)': \(r)"
        case .sample(let s): "DeeLeMa sample: \(s)"
        case .diverged(let e, let s, let w): "DeeLeMa training diverged at epoch \(e), step \(s): \(w) is NaN or Inf; lower the learning rate or use the Huber loss"
        case .checkpoint(let p, let r): "DeeLeMa checkpoint '\(p)': \(r)"
        }
    }
}
