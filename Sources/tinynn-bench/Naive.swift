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
            for j in 0..<m {
                layers[l].gb[j] += delta[j]
                for i in 0..<n { layers[l].gw[j * n + i] += delta[j] * input[i] }
            }
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
        let scale = 1 / Float(batchSize)
        let eta = optimizer.learningRate, lambda = optimizer.weightDecay, epsilon = optimizer.epsilon
        let b1 = optimizer.beta1, b2 = optimizer.beta2
        let c1 = 1 - pow(b1, Float(step)), c2 = 1 - pow(b2, Float(step))
        let adam = optimizer.kind == .adam
        for l in layers.indices {
            for k in 0..<layers[l].w.count {
                let g = scale * layers[l].gw[k] + lambda * layers[l].w[k]
                if adam {
                    layers[l].m1w[k] = b1 * layers[l].m1w[k] + (1 - b1) * g
                    layers[l].m2w[k] = b2 * layers[l].m2w[k] + (1 - b2) * g * g
                    layers[l].w[k] -= eta * (layers[l].m1w[k] / c1) / ((layers[l].m2w[k] / c2).squareRoot() + epsilon)
                } else {
                    layers[l].w[k] -= eta * g
                }
                layers[l].gw[k] = 0
            }
            for j in 0..<layers[l].b.count {
                let g = scale * layers[l].gb[j]
                if adam {
                    layers[l].m1b[j] = b1 * layers[l].m1b[j] + (1 - b1) * g
                    layers[l].m2b[j] = b2 * layers[l].m2b[j] + (1 - b2) * g * g
                    layers[l].b[j] -= eta * (layers[l].m1b[j] / c1) / ((layers[l].m2b[j] / c2).squareRoot() + epsilon)
                } else {
                    layers[l].b[j] -= eta * g
                }
                layers[l].gb[j] = 0
            }
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
