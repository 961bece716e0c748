/// Flash and RAM a model needs on a 32-bit target with `Float` parameters.
public struct TargetFootprint: Sendable, Equatable {
    /// Weights and biases, `4·Σ(In·Out + Out)` bytes, in flash.
    public var parameterBytes: Int
    /// The input scaling's offset and scale arrays, `2·4·n₀` bytes, in flash.
    public var scalingBytes: Int
    /// Inference RAM: z and a of every neuron (2 floats per neuron) plus the
    /// input, `4·(2·ΣOut + n₀)` bytes; the C API's scratch.
    public var inferenceRAMBytes: Int
    /// RAM to train on the device with the `Dense<In, Out>` SGD layout (w, gw;
    /// b, gb, z, a, δ): `4·Σ(2·In·Out + 5·Out)` bytes, plus the input sample.
    public var trainingRAMBytes: Int

    public var flashBytes: Int { parameterBytes + scalingBytes }

    public init(widths: [Int], scaled: Bool) {
        let layers = 0..<(widths.count - 1)
        let neurons = layers.reduce(0) { $0 + widths[$1 + 1] }
        parameterBytes = 4 * layers.reduce(0) { $0 + widths[$1] * widths[$1 + 1] + widths[$1 + 1] }
        scalingBytes = scaled ? 8 * widths[0] : 0
        inferenceRAMBytes = 4 * (2 * neurons + widths[0])
        trainingRAMBytes = 4 * (layers.reduce(0) { $0 + 2 * widths[$1] * widths[$1 + 1] + 5 * widths[$1 + 1] } + widths[0])
    }
}
