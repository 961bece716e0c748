import TinyNNHost

/// `train --init-from MODEL.tnn`: fine-tuning a model (e.g. one `tinynn
/// import` made) instead of training a fresh network. The model fixes the
/// network (widths, activations, loss) and the input scaling, so the flags
/// that would choose those are refused with it; training starts from its
/// parameters instead of random ones.
enum InitFrom {
    static let flag = Flag("--init-from", "MODEL.tnn", "start from this model's parameters (fine-tuning, e.g. a model"
                           + " 'tinynn import' made): its layers, activations, loss and input scaling are kept")
    static let conflicting = ["--layers", "--activations", "--loss", "--init", "--scale"]

    /// The starting model, or nil without `--init-from`.
    static func model(_ args: Arguments) throws(Failure) -> Model? {
        guard let path = args.string("--init-from") else { return nil }
        if let other = conflicting.first(where: args.has) {
            throw args.usage("--init-from takes the network and scaling from \(path); \(other) cannot change them")
        }
        return try InfoCommand.load(path)
    }

    /// Copies the starting model's parameters and leaky ReLU slopes into
    /// `network` (of its shape and activations).
    static func start(_ network: Network, from model: Model) {
        for l in 0..<network.layerCount {
            try! network.setParameters(layer: l, weights: model.network.weights(l), biases: model.network.biases(l))
            try! network.setLeakySlope(model.network.leakySlopes[l], layer: l)
        }
    }

    /// The fine-tuned model's provenance: the start's, with a note.
    static func provenance(from model: Model?, path: String?) -> Provenance? {
        guard var p = model?.provenance, let path else { return nil }
        p.notes.append("fine-tuned by tinynn train from \(Outputs.baseName(path))")
        return p
    }
}
