import Testing
import TinyNN

/// Backpropagation (BP1–BP4) against central finite differences of the cost,
/// for every output activation × loss and networks of 1, 2 and 3 layers
/// (hidden layers cycle through the elementwise activations).
///
/// Tolerance: the cost is computed in Float (ε = 2⁻²⁴ ≈ 6·10⁻⁸), so a
/// central difference with step h carries a rounding error of about
/// ε·|C|/h ≈ 6·10⁻⁵ for h = 10⁻³ and |C| ≈ 1, and a truncation error of
/// order h²·|C‴| ≈ 10⁻⁶. We accept |g − g_fd| ≤ 2·10⁻³ + 2·10⁻²·|g_fd|: about
/// 30× the expected error, while a wrong factor or a wrong sign (errors of
/// order |g|) still fails. Kinks of ReLU are avoided by skipping parameters
/// whose perturbation moves some pre-activation z across 0.
@Suite struct GradientCheckTests {
    struct Case: CustomStringConvertible, Sendable {
        var output: Activation
        var loss: Loss
        var description: String { "\(output)+\(loss)" }
    }

    static let hidden: [Activation] = [.sigmoid, .tanh, .relu, .leakyReLU, .identity]
    static let cases: [Case] =
        [Activation.identity, .sigmoid, .tanh, .relu, .leakyReLU, .softmax].map { Case(output: $0, loss: .quadratic) }
        + [Case(output: .softmax, loss: .crossEntropy), Case(output: .sigmoid, loss: .binaryCrossEntropy)]

    /// Checks every weight and bias of `net` on sample (x, y); returns how many were compared.
    static func check(_ net: NetworkView, x: [Float], y: [Float]) -> Int {
        let h: Float = 1e-3
        // Analytic gradients: gradient sums start at zero.
        for l in 0..<net.layerCount {
            let v = net[l]
            v.gw!.update(repeating: 0, count: v.inCount * v.outCount)
            v.gb!.update(repeating: 0, count: v.outCount)
        }
        net.forward(x)
        net.backward(x, target: y)
        func signs() -> [Bool] {
            (0..<net.layerCount).flatMap { l in (0..<net[l].outCount).map { net[l].z[$0] > 0 } }
        }
        net.forward(x)
        let baseSigns = signs()
        func cost() -> Float { net.forward(x); return net.cost(target: y) }
        var compared = 0
        for l in 0..<net.layerCount {
            let v = net[l]
            var nonZero = 0, layerCompared = 0
            let tensors = [(v.w, v.gw!, v.inCount * v.outCount), (v.b, v.gb!, v.outCount)]
            for (p, g, count) in tensors {
                for k in 0..<count {
                    let saved = p[k]
                    p[k] = saved + h; let plus = cost(); let signsPlus = signs()
                    p[k] = saved - h; let minus = cost(); let signsMinus = signs()
                    p[k] = saved
                    if signsPlus != baseSigns || signsMinus != baseSigns { continue }
                    let fd = (plus - minus) / (2 * h)
                    #expect(abs(g[k] - fd) <= 2e-3 + 2e-2 * abs(fd),
                            "layer \(l + 1) parameter \(k): backprop \(g[k]), finite difference \(fd)")
                    layerCompared += 1
                    if g[k] != 0 { nonZero += 1 }
                }
            }
            // A backward pass that lost the error would pass the comparison with zeros.
            #expect(nonZero > layerCompared / 4, "layer \(l + 1): gradient (almost) all zero, \(nonZero) of \(layerCompared)")
            compared += layerCompared
        }
        return compared
    }

    static func sample(_ c: Case, seed: UInt64) -> (x: [Float], y: [Float]) {
        var r = Random(seed: seed)
        let x = (0..<5).map { _ in 2 * r.uniform() - 1 }
        var y: [Float]
        switch c.loss {
        case .crossEntropy: y = [0, 1, 0]
        case .binaryCrossEntropy: y = [1, 0, 1]
        case .quadratic: y = (0..<3).map { _ in r.uniform() }
        }
        return (x, y)
    }

    @Test(arguments: cases)
    func oneLayer(_ c: Case) {
        var r = Random(seed: 11)
        var l1 = Dense<5, 3>(activation: c.output)
        l1.initialize(.gaussian(standardDeviation: 0.5), random: &r)
        let (x, y) = Self.sample(c, seed: 12)
        let n = withNetwork(&l1, loss: c.loss) { Self.check($0, x: x, y: y) }
        #expect(n >= 15)
    }

    @Test(arguments: cases, hidden)
    func twoLayers(_ c: Case, hidden: Activation) {
        var r = Random(seed: 21)
        var l1 = Dense<5, 4>(activation: hidden), l2 = Dense<4, 3>(activation: c.output)
        l1.initialize(.gaussian(standardDeviation: 0.5), random: &r)
        l2.initialize(.gaussian(standardDeviation: 0.5), random: &r)
        // Positive biases keep most ReLU units active, so their gradients are exercised.
        for j in 0..<4 { l1.b[j] += 0.5 }
        let (x, y) = Self.sample(c, seed: 22)
        let n = withNetwork(&l1, &l2, loss: c.loss) { Self.check($0, x: x, y: y) }
        #expect(n >= 30)
    }

    @Test(arguments: cases)
    func threeLayers(_ c: Case) {
        var r = Random(seed: 31)
        var l1 = Dense<5, 9>(activation: .tanh), l2 = Dense<9, 4>(activation: .leakyReLU)
        var l3 = Dense<4, 3>(activation: c.output)
        l1.initialize(.gaussian(standardDeviation: 0.5), random: &r)
        l2.initialize(.gaussian(standardDeviation: 0.5), random: &r)
        l3.initialize(.gaussian(standardDeviation: 0.5), random: &r)
        let (x, y) = Self.sample(c, seed: 32)
        let n = withNetwork(&l1, &l2, &l3, loss: c.loss) { Self.check($0, x: x, y: y) }
        #expect(n >= 60)
    }

    /// Leaky ReLU with the layer's own slope, hidden and output (BP1 through
    /// the quadratic cost reads it too): negative biases put many z below 0,
    /// where σ′ is the slope; the forward pass gives `s·z` there exactly.
    @Test(arguments: [Float(0.2), -0.3, 1.5])
    func leakySlopeOfTheLayer(_ slope: Float) {
        var r = Random(seed: 41)
        var l1 = Dense<5, 6>(activation: .leakyReLU, leakySlope: slope)
        var l2 = Dense<6, 3>(activation: .leakyReLU, leakySlope: slope)
        l1.initialize(.gaussian(standardDeviation: 0.5), random: &r)
        l2.initialize(.gaussian(standardDeviation: 0.5), random: &r)
        for j in 0..<6 { l1.b[j] -= 0.3 }
        let (x, y) = Self.sample(Case(output: .leakyReLU, loss: .quadratic), seed: 42)
        let negatives = withNetwork(&l1, &l2, loss: .quadratic) { net -> Int in
            net.forward(x)
            let v = net[0]
            let below = (0..<6).filter { !(v.z[$0] > 0) }
            for j in below { #expect(v.a[j] == slope * v.z[j], "neuron \(j)") }
            return below.count
        }
        #expect(negatives >= 2, "the slope is exercised")
        let n = withNetwork(&l1, &l2, loss: .quadratic) { Self.check($0, x: x, y: y) }
        #expect(n >= 40)
    }
}
