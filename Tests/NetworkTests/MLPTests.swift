import Core
import Foundation
import Testing
@testable import Network

/// A quadratic loss L = sum_k w_k y_k^2 / 2 over the outputs y, so dL/dy = w_k y_k.
private func quadraticLoss(_ net: MLP<Double>, _ x: [Double], rows: Int, weights: [Double]) -> Double {
    let y = x.withUnsafeBufferPointer { net.forward($0.baseAddress!, rows: rows) }
    var l = 0.0
    for i in 0..<(rows * net.outputWidth) { l += 0.5 * weights[i] * y[i] * y[i] }
    return l
}

@Test("MLP backward matches central finite differences in Double for every parameter tensor")
func mlpGradientCheck() {
    let sizes = [5, 8, 8, 3], rows = 7
    let net = MLP<Double>(sizes: sizes, maxBatch: 16, seed: 42)
    var rng = SplitMix64(seed: 7)
    let x = (0..<(rows * 5)).map { _ in 2 * rng.uniform() - 1 }
    let w = (0..<(rows * 3)).map { _ in 0.5 + rng.uniform() }
    let y = x.withUnsafeBufferPointer { net.forward($0.baseAddress!, rows: rows) }
    let dy = (0..<(rows * 3)).map { w[$0] * y[$0] }
    dy.withUnsafeBufferPointer { net.backward($0.baseAddress!) }
    let hand = net.gradients
    let h = 1e-5
    for l in 0..<net.layerCount {
        for (name, lo, hi) in [("W\(l)", net.weightOffsets[l], net.biasOffsets[l]),
                               ("b\(l)", net.biasOffsets[l], net.biasOffsets[l] + sizes[l + 1])] {
            var num = 0.0, den = 0.0
            for i in lo..<hi {
                let p0 = net.parameters[i]
                net.parameters[i] = p0 + h; let lp = quadraticLoss(net, x, rows: rows, weights: w)
                net.parameters[i] = p0 - h; let lm = quadraticLoss(net, x, rows: rows, weights: w)
                net.parameters[i] = p0
                let fd = (lp - lm) / (2 * h)
                num += (fd - hand[i]) * (fd - hand[i]); den += fd * fd
            }
            #expect(den > 0, "\(name) has a zero gradient")
            #expect((num / den).squareRoot() < 1e-7, "\(name) relative gradient error \((num / den).squareRoot())")
        }
    }
}

@Test("GELU tanh form: values from numpy, derivative against finite differences")
func geluValues() {
    // numpy: 0.5*x*(1+tanh(sqrt(2/pi)*(x+0.044715*x**3)))
    let xs = [-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0]
    let ref = [-0.0036373920817729943, -0.15880800939172324, -0.15428599017459438, 0.0,
               0.34571400982540564, 0.8411919906082768, 2.996362607918227]
    for (x, r) in zip(xs, ref) {
        #expect(abs(GELU.forward(x).y - r) < 1e-12)
        let h = 1e-6
        let fd = (GELU.forward(x + h).y - GELU.forward(x - h).y) / (2 * h)
        #expect(abs(GELU.derivative(x, t: GELU.forward(x).t) - fd) < 1e-9)
    }
}

@Test("Float (sgemm) and Double (dgemm) networks agree on the forward pass")
func floatDoubleAgree() {
    let sizes = [16, 32, 32, 4], rows = 9
    let nd = MLP<Double>(sizes: sizes, maxBatch: rows, seed: 3)
    let nf = MLP<Float>(sizes: sizes, maxBatch: rows, seed: 3)
    #expect(nd.parameters.map { Float($0) } == nf.parameters)
    var rng = SplitMix64(seed: 11)
    let x = (0..<(rows * 16)).map { _ in rng.uniform() }
    let yd = x.withUnsafeBufferPointer { nd.forward($0.baseAddress!, rows: rows) }
    let xf = x.map { Float($0) }
    let yf = xf.withUnsafeBufferPointer { nf.forward($0.baseAddress!, rows: rows) }
    for i in 0..<(rows * 4) { #expect(abs(Double(yf[i]) - yd[i]) < 1e-5) }
}

@Test("Initialisation is PyTorch's default Linear: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), seeded")
func initialisation() {
    let net = MLP<Double>(sizes: [16, 256, 4], maxBatch: 1, seed: 5)
    let w = net.parameters[net.weightOffsets[0]..<net.biasOffsets[0]]
    let bound = 0.25
    #expect(w.allSatisfy { abs($0) < bound })
    // Uniform on (-b, b): variance b^2 / 3; 4096 draws give ~2% relative spread.
    let variance = w.reduce(0) { $0 + $1 * $1 } / Double(w.count)
    #expect(abs(variance / (bound * bound / 3) - 1) < 0.08)
    let again = MLP<Double>(sizes: [16, 256, 4], maxBatch: 1, seed: 5)
    let other = MLP<Double>(sizes: [16, 256, 4], maxBatch: 1, seed: 6)
    #expect(again.parameters == net.parameters)
    #expect(other.parameters != net.parameters)
}

@Test("Adam: first step moves each parameter by lr * sign(g); matches the PyTorch update for two steps")
func adamSteps() {
    var adam = Adam<Double>(count: 3)
    var p = [1.0, -2.0, 0.5]
    let g1 = [0.3, -4.0, 1e-3]
    adam.update(&p, g1, lr: 0.1)
    // Step 1: m/(1-b1) = g, sqrt(v/(1-b2)) = |g|, so the step is lr g / (|g| + eps).
    for (i, start) in [1.0, -2.0, 0.5].enumerated() {
        #expect(abs(p[i] - (start - 0.1 * g1[i] / (abs(g1[i]) + 1e-8))) < 1e-12)
    }
    // Step 2 written out with PyTorch's formulas.
    let g2 = [0.1, 1.0, -2e-3]
    let before = p
    adam.update(&p, g2, lr: 0.05)
    for i in 0..<3 {
        let m = 0.9 * (0.1 * g1[i]) + 0.1 * g2[i]
        let v = 0.999 * (0.001 * g1[i] * g1[i]) + 0.001 * g2[i] * g2[i]
        let expected = before[i] - 0.05 / (1 - 0.81) * m / ((v / (1 - 0.999 * 0.999)).squareRoot() + 1e-8)
        #expect(abs(p[i] - expected) < 1e-12)
    }
}

@Test("Polynomial schedule lr0 (1 - e/E)^2")
func schedule() {
    let s = PolynomialSchedule(initial: 1e-2, epochs: 100)
    #expect(s.rate(epoch: 0) == 1e-2)
    #expect(abs(s.rate(epoch: 50) - 2.5e-3) < 1e-15)
    #expect(abs(s.rate(epoch: 99) - 1e-6) < 1e-18)
}

@Test("SplitMix64 reference values and unbiased bounded integers")
func splitMix() {
    // Reference: SplitMix64 seeded with 0 (Vigna's splitmix64.c) yields 0xE220A8397B1DCDAF first.
    var r = SplitMix64(seed: 0)
    #expect(r.next() == 0xE220_A839_7B1D_CDAF)
    var counts = [Int](repeating: 0, count: 3)
    for _ in 0..<30000 { counts[r.integer(below: 3)] += 1 }
    #expect(counts.allSatisfy { abs($0 - 10000) < 400 })
}

@Test("Fast Float tanh of the GELU: absolute error < 3e-7 against Glibc tanh over [-12, 12]")
func fastTanhAccuracy() {
    var worst: Float = 0
    var x: Float = -12
    while x < 12 {
        let v = SIMD8<Float>((0..<8).map { x + Float($0) * 1e-3 })
        let t = fastTanh(v)
        for k in 0..<8 { worst = max(worst, abs(t[k] - Float(tanh(Double(v[k]))))) }
        x += 0.00731
    }
    #expect(worst < 3e-7, "worst absolute error \(worst)")
}
