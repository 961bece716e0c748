import Foundation
import TinyNN

/// A known answer for the comparison: the model's forward pass on a row
/// recomputed independently of the kernels, in float64 with Foundation's
/// `exp` and `tanh` (input scaling, `z = W·a + b`, `a = σ(z)`), which the
/// host's float32 outputs for that row must match to within `tolerance` and
/// in the predicted class. It proves that the expected lines are this
/// model's outputs on these rows' features, in this order, before any firmware
/// output is compared with them bit for bit.
public enum KnownAnswer {
    /// Largest difference allowed between a float32 output and float64's.
    public static let tolerance = 1e-3

    /// The forward pass in float64.  x: raw (unscaled) features.
    public static func forward(_ model: Model, _ x: [Float]) -> [Double] {
        let s = model.scaling
        var a = x.indices.map { i in s.kind == .none ? Double(x[i]) : (Double(x[i]) - Double(s.offset[i])) * Double(s.scale[i]) }
        let net = model.network
        for l in 0..<net.layerCount {
            let w = net.weights(l), b = net.biases(l), n = net.widths[l], m = net.widths[l + 1]
            var z = (0..<m).map { j in (0..<n).reduce(Double(b[j])) { $0 + Double(w[j * n + $1]) * a[$1] } }
            switch net.activations[l] {
            case .identity: break
            case .sigmoid: z = z.map { 1 / (1 + exp(-$0)) }
            case .tanh: z = z.map { Foundation.tanh($0) }
            case .relu: z = z.map { max(0, $0) }
            case .leakyReLU: z = z.map { $0 > 0 ? $0 : Double(net.leakySlopes[l]) * $0 }
            case .softmax:
                let top = z.max()!, e = z.map { exp($0 - top) }, sum = e.reduce(0, +)
                z = e.map { $0 / sum }
            }
            a = z
        }
        return a
    }

    /// Checks rows 0, the middle one and the last of `vectors` against the
    /// `y` lines of `expected` (``TestVectors/expected(for:)``). Returns the rows
    /// checked, or the first that does not match, as one line.
    public static func check(_ model: Model, _ vectors: TestVectors, expected: [String]) -> Result<[Int], KnownAnswerError> {
        let lines = expected.filter { $0.hasPrefix("y ") }
        guard lines.count == vectors.count, vectors.count > 0 else {
            return .failure(KnownAnswerError(description: "\(lines.count) expected rows for \(vectors.count) vectors"))
        }
        let rows = Array(Set([0, vectors.count / 2, vectors.count - 1])).sorted()
        for k in rows {
            guard let parsed = BitDump.parse(Substring(lines[k])), parsed.index == k else {
                return .failure(KnownAnswerError(description: "expected line \(k) is not row \(k): '\(lines[k].prefix(30))'"))
            }
            let host = parsed.bits.map { Double(Float(bitPattern: $0)) }
            let reference = forward(model, Array(vectors.data.sample(k)))
            guard host.count == reference.count else {
                return .failure(KnownAnswerError(description: "row \(k): \(host.count) outputs, the model has \(reference.count)"))
            }
            let worst = zip(host, reference).map { abs($0 - $1) }.max() ?? 0
            let classes = (Model.predictedClass(host.map { Float($0) }), Model.predictedClass(reference.map { Float($0) }))
            guard worst <= tolerance, classes.0 == classes.1 else {
                return .failure(KnownAnswerError(description: "row \(k): the host's outputs differ from a float64 forward pass"
                                                 + " of the model by \(worst) (class \(classes.0) vs \(classes.1))"))
            }
        }
        return .success(rows)
    }
}

public struct KnownAnswerError: Error, CustomStringConvertible {
    public var description: String
}
