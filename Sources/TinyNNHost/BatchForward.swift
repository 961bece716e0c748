import TinyNN

/// The forward pass over many samples at once, for evaluation on the host:
/// `aˡ[s] = σ(Wˡaˡ⁻¹[s] + bˡ)` layer by layer over a chunk of samples, through
/// the batched kernels (``Kernels/denseForwardBatch(w:b:a:z:inCount:outCount:batchCount:copy:)``,
/// ``Kernels/activateBatch(_:z:a:width:batchCount:leakySlope:)``), which give
/// every sample the bits of ``NetworkView/forward(_:)``, so each weight
/// fetched serves the whole chunk instead of one sample.
struct BatchForward {
    /// Samples per chunk: enough that the weights are read once per many
    /// samples, few enough that a chunk's activations stay in L1/L2.
    static let chunk = 50

    private var z: [Float]
    private var a: [Float]
    /// Offset of layer `l`'s `[chunk][Out]` block in `z` and `a`.
    private let offsets: [Int]

    init(_ net: NetworkView) {
        var offsets = [0]
        for l in 0..<net.layerCount { offsets.append(offsets[l] + Self.chunk * net[l].outCount) }
        self.offsets = offsets
        z = [Float](repeating: 0, count: offsets[net.layerCount])
        a = z
    }

    /// Runs samples `first..<first + count` (`count ≤ chunk`) of `x` (`[N][In]`)
    /// forward and hands `body` the output layer's activations, `[count][Out]`.
    mutating func forward<R>(_ net: NetworkView, _ x: UnsafePointer<Float>, first: Int, count: Int,
                             _ body: (UnsafePointer<Float>) -> R) -> R {
        precondition(count >= 1 && count <= Self.chunk, "BatchForward: chunk of \(count)")
        let offsets = self.offsets
        return z.withUnsafeMutableBufferPointer { z in
            a.withUnsafeMutableBufferPointer { a in
                var input = x + first * net.inputCount
                for l in 0..<net.layerCount {
                    let layer = net[l]
                    let zl = z.baseAddress! + offsets[l], al = a.baseAddress! + offsets[l]
                    Kernels.denseForwardBatch(w: layer.w, b: layer.b, a: input, z: zl, inCount: layer.inCount,
                                              outCount: layer.outCount, batchCount: count)
                    Kernels.activateBatch(layer.activation, z: zl, a: al, width: layer.outCount, batchCount: count,
                                          leakySlope: layer.leakySlope)
                    input = UnsafePointer(al)
                }
                return body(input)
            }
        }
    }
}
