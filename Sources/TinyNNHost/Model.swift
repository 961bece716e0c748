import TinyNN

/// What a `.tnn` file holds: a network, the input scaling to apply to raw
/// features before it, and the record of its training.
public struct Model {
    public var network: Network
    public var scaling: FeatureScaling
    public var training: TrainingRecord
    /// Set when another program made the network (e.g. an ONNX import); nil for `tinynn train`'s.
    public var provenance: Provenance?
    /// The columns of the data it was trained on (nil: unknown, e.g. an old file).
    public var schema: DataSchema? = nil
    /// How `tinynn train` ended the run (nil for a model made otherwise).
    public var stopping: StoppingRecord?
    /// The int8 model `tinynn quantize` made of this float model (nil: a float model).
    public var quantized: QuantizedModel? = nil

    public init(network: Network, scaling: FeatureScaling = .none, training: TrainingRecord = .untrained,
                provenance: Provenance? = nil) {
        self.network = network; self.scaling = scaling; self.training = training; self.provenance = provenance
    }

    /// The output activations for one raw (unscaled) input.
    public func predict(_ x: [Float]) throws(NetworkError) -> [Float] {
        guard x.count == network.inputCount else {
            throw .badShape("input has \(x.count) features, the model takes \(network.inputCount)")
        }
        guard x.allSatisfy({ $0.isFinite }) else { throw .nonFinite("input holds NaN or infinity") }
        return try network.predict(scaling.apply(x))
    }

    /// The predicted class of a network output: the index of the largest
    /// output (the first of equals), or for one output whether it exceeds ½.
    public static func predictedClass(_ output: [Float]) -> Int {
        output.withUnsafeBufferPointer { Kernels.predictedClass($0.baseAddress!, count: $0.count) }
    }

    /// Accuracy, cost and confusion matrix on raw (unscaled) labelled data.
    /// - Throws: if the data does not fit the network.
    public func evaluate(on data: Dataset, name: String) throws(NetworkError) -> Evaluation {
        try data.check(against: network, name: name)
        return TinyNNHost.evaluate(network, on: scaling.apply(to: data))
    }
}
