import TinyNNHost

/// `tinynn import`: an ONNX file written by PyTorch, Keras (tf2onnx) or
/// scikit-learn (skl2onnx) as a TinyNN model file.
enum ImportCommand {
    static let command = Command(
        name: "import",
        summary: "convert a network trained elsewhere (ONNX from PyTorch, Keras or scikit-learn) to a model file",
        synopsis: "import MODEL.onnx [--output MODEL.tnn]",
        positionals: ["MODEL.onnx"],
        flags: [
            Flag("--output", "FILE", "the model file to write (default: MODEL.onnx with .onnx replaced by .tnn)"),
        ],
        details: """
            Reads a graph that is a chain of dense layers: Gemm (alpha, beta, transB 0 or 1, as
            torch.onnx.export writes Linear), MatMul + Add (tf2onnx, skl2onnx), each optionally
            followed by Relu, LeakyRelu (its alpha becomes the layer's slope, bit for bit),
            Sigmoid, Tanh or Softmax (last axis); Identity, Cast to float, Flatten, Reshape to [N, width] and
            Constant pass through; skl2onnx's Scaler (StandardScaler) becomes the input scaling.
            scikit-learn's classifier head (ArgMax, ZipMap, labels, and [1 - p, p] for two
            classes) is dropped: the model outputs the probabilities (for two classes p, the
            probability of class 1). Weights may be float32 (raw_data or float_data) or float64
            (converted, with a note). Any other op, external data, or a graph that is not a chain
            is refused with one line naming the node, and nothing is written.
            The loss follows the output: softmax cross-entropy, one sigmoid unit binary
            cross-entropy, anything else (e.g. a Linear without softmax: logits) quadratic.
            The model records its producer (shown by 'tinynn info'). To fine-tune it, give it
            to 'tinynn train --init-from MODEL.tnn'. 'tinynn export --onnx' writes the other way.
            """,
        examples: [
            "tinynn import mlp.onnx --output mlp.tnn",
        ],
        run: run)

    static func run(_ args: Arguments) throws(Failure) {
        guard let path = args.positionals.first else { throw args.usage("no ONNX file given") }
        let output = args.string("--output") ?? (path.hasSuffix(".onnx") ? String(path.dropLast(5)) : path) + ".tnn"
        let outputSet = try Outputs.set([output], inputs: [path], args)
        let model: Model
        do { model = try ONNXImport.load(path) } catch { throw .data(error.description) }
        try Outputs.stage(ModelFile.encode(model), for: output, in: outputSet)
        try Outputs.commit(outputSet)
        print("wrote \(output): \(InfoCommand.shape(model.network)), \(model.network.parameterCount) parameters,"
              + " from \(model.provenance?.summary ?? "ONNX")")
        for note in model.provenance?.notes.dropFirst() ?? [] { print("  \(note)") }
    }
}
