import Foundation
import TinyNN
import TinyNNHost

/// The same algorithm as the engine, written the plain way: Swift arrays,
/// nested loops, no SIMD types, no pointers, no tiling, unfused `s += w·a`,
/// libm `exp`. It is the scalar reference the fast kernels are measured
/// against; it agrees with them closely but not bit for bit.
struct NaiveNetwork {
    struct Layer {
        let n: Int, m: Int
        let activation: Activation
        var w: [Float], b: [Float]
        var gw: [Float], gb: [Float]
        var z: [Float], a: [Float], delta: [Float]
        /// Adam's first and second moments.
        var m1w: [Float], m2w: [Float], m1b: [Float], m2b: [Float]

        /// BP3 and BP4: `gb += δ`, `gw += δ·inputᵀ`.
        mutating func accumulate(delta: [Float], input: [Float]) {
            for j in 0..<m {
                gb[j] += delta[j]
                for i in 0..<n { gw[j * n + i] += delta[j] * input[i] }
            }
        }

        /// One SGD or Adam step from the gradient sums, which it clears.
        mutating func step(_ o: Optimizer, scale: Float, c1: Float, c2: Float) {
            Self.step(o, &w, &gw, &m1w, &m2w, scale: scale, lambda: o.weightDecay, c1: c1, c2: c2)
            Self.step(o, &b, &gb, &m1b, &m2b, scale: scale, lambda: 0, c1: c1, c2: c2)
        }

        static func step(_ o: Optimizer, _ p: inout [Float], _ gradientSum: inout [Float],
                         _ m1: inout [Float], _ m2: inout [Float], scale: Float, lambda: Float, c1: Float, c2: Float) {
            for k in 0..<p.count {
                let g = scale * gradientSum[k] + lambda * p[k]
                if o.kind == .adam {
                    m1[k] = o.beta1 * m1[k] + (1 - o.beta1) * g
                    m2[k] = o.beta2 * m2[k] + (1 - o.beta2) * g * g
                    p[k] -= o.learningRate * (m1[k] / c1) / ((m2[k] / c2).squareRoot() + o.epsilon)
                } else {
                    p[k] -= o.learningRate * g
                }
                gradientSum[k] = 0
            }
        }
    }

    var layers: [Layer]
    let loss: Loss
    let optimizer: Optimizer
    var step = 0

    /// Copies the shape and the current parameters of `net`.
    init(copying net: Network, optimizer: Optimizer) {
        loss = net.loss; self.optimizer = optimizer
        layers = (0..<net.layerCount).map { l in
            let n = net.widths[l], m = net.widths[l + 1]
            let zeros = [Float](repeating: 0, count: m), zerosW = [Float](repeating: 0, count: n * m)
            return Layer(n: n, m: m, activation: net.activations[l], w: net.weights(l), b: net.biases(l),
                         gw: zerosW, gb: zeros, z: zeros, a: zeros, delta: zeros,
                         m1w: zerosW, m2w: zerosW, m1b: zeros, m2b: zeros)
        }
    }

    var output: [Float] { layers[layers.count - 1].a }

    mutating func forward(_ x: [Float]) {
        var input = x
        for l in layers.indices {
            let n = layers[l].n, m = layers[l].m, w = layers[l].w, b = layers[l].b
            var z = [Float](repeating: 0, count: m)
            for j in 0..<m {
                var s: Float = 0
                for i in 0..<n { s += w[j * n + i] * input[i] }
                z[j] = s + b[j]
            }
            var a = z
            switch layers[l].activation {
            case .sigmoid:
                for j in 0..<m { a[j] = 1 / (1 + exp(-z[j])) }
            case .relu:
                for j in 0..<m { a[j] = max(0, z[j]) }
            case .softmax:
                let top = z.max()!
                var sum: Float = 0
                for j in 0..<m { a[j] = exp(z[j] - top); sum += a[j] }
                for j in 0..<m { a[j] /= sum }
            default:
                fatalError("naive reference: \(layers[l].activation) not implemented")
            }
            layers[l].z = z
            layers[l].a = a
            input = a
        }
    }

    static func derivative(_ activation: Activation, z: Float, a: Float) -> Float {
        switch activation {
        case .sigmoid: return a * (1 - a)
        case .relu: return z > 0 ? 1 : 0
        default: fatalError("naive reference: σ′ of \(activation) not implemented")
        }
    }

    mutating func backward(_ x: [Float], target y: [Float]) {
        let top = layers.count - 1
        var delta = [Float](repeating: 0, count: layers[top].m)
        for j in 0..<layers[top].m {
            delta[j] = layers[top].a[j] - y[j]
            if loss == .quadratic {
                delta[j] *= Self.derivative(layers[top].activation, z: layers[top].z[j], a: layers[top].a[j])
            }
        }
        for l in stride(from: top, through: 0, by: -1) {
            let n = layers[l].n, m = layers[l].m
            let input = l == 0 ? x : layers[l - 1].a
            layers[l].delta = delta
            layers[l].accumulate(delta: delta, input: input)
            if l > 0 {
                let w = layers[l].w, below = layers[l - 1]
                var e = [Float](repeating: 0, count: n)
                for i in 0..<n {
                    var s: Float = 0
                    for j in 0..<m { s += w[j * n + i] * delta[j] }
                    e[i] = s * Self.derivative(below.activation, z: below.z[i], a: below.a[i])
                }
                delta = e
            }
        }
    }

    mutating func update(batchSize: Int) {
        step += 1
        let o = optimizer
        let c1 = 1 - pow(o.beta1, Float(step)), c2 = 1 - pow(o.beta2, Float(step))
        let scale = 1 / Float(batchSize)
        for l in layers.indices {
            layers[l].step(o, scale: scale, c1: c1, c2: c2)
        }
    }

    /// Trains on samples `first..<first+batchSize` of `x` (`[count][In]`) and `y` (`[count][Out]`).
    mutating func trainBatch(_ x: [Float], _ y: [Float], first: Int, batchSize: Int) {
        let n = layers[0].n, k = layers[layers.count - 1].m
        for s in first..<(first + batchSize) {
            let xs = Array(x[(s * n)..<((s + 1) * n)]), ys = Array(y[(s * k)..<((s + 1) * k)])
            forward(xs)
            backward(xs, target: ys)
        }
        update(batchSize: batchSize)
    }

    /// The flattened parameters in model-file order (w then b per layer).
    var flatParameters: [Float] { layers.flatMap { $0.w + $0.b } }
}
