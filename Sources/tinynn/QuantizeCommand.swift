import TinyNNHost

/// `tinynn quantize`: a float model to int8, calibrated on data.
enum QuantizeCommand {
    static let command = Command(
        name: "quantize",
        summary: "quantize a float model to int8 (post-training, calibrated on data) for integer-only inference",
        synopsis: "quantize MODEL (--data FILE.csv [--label-column C] | --images FILE --labels FILE) [--limit N] --output OUT.tnn",
        positionals: ["MODEL"],
        flags: DataFlags.flags + [
            Flag("--output", "OUT.tnn", "the int8 model file to write (default: MODEL with .tnn replaced by -int8.tnn)"),
        ],
        details: """
            Weights become symmetric int8 per output channel, biases int32, and every activation
            tensor (the scaled input, each layer's output; for sigmoid and tanh their input, for
            softmax the logits) int8 with one scale and zero point, from its range on the
            calibration data. Two ranges are tried, min/max and the 0.01st/99.99th percentiles,
            and the one with the better accuracy on the data is kept (ties: the lower output
            error against the float model). Requantization is an integer multiplier and shift
            (one rounding, TFLM's and CMSIS-NN's single-rounding definition); ReLU and leaky ReLU are folded into it, sigmoid and tanh are
            256-entry tables, softmax is integer. The output file keeps the float model too, so
            'tinynn eval' shows both; info, eval, predict (--bits: the integer outputs), export
            and verify take it.
            """,
        examples: [
            "tinynn quantize digits.tnn --data Data/digits/digits.csv --output digits-int8.tnn",
            "tinynn quantize mnist.tnn --images Data/mnist/t10k-images-idx3-ubyte.gz --labels Data/mnist/t10k-labels-idx1-ubyte.gz --limit 8000 --output mnist-int8.tnn",
        ],
        run: run)

    static func run(_ args: Arguments) throws(Failure) {
        let path = try InfoCommand.modelPath(args)
        let output = args.string("--output") ?? (path.hasSuffix(".tnn") ? String(path.dropLast(4)) : path) + "-int8.tnn"
        let inputs = [path] + ["--data", "--images", "--labels"].compactMap { args.string($0) }
        let outputSet = try Outputs.set([output], inputs: inputs, args)
        var model = try InfoCommand.load(path)
        if model.quantized != nil { throw .data("\(path) is already an int8 model; quantize the float model it came from") }
        let outputs = model.network.outputCount
        let (data, name) = try DataFlags.load(args, classCount: outputs == 1 ? 2 : outputs,
                                              schema: model.schema ?? DataSchema(featureCount: model.network.inputCount))!
        let result: (model: QuantizedModel, trials: [Quantizer.Trial])
        do { result = try Quantizer.quantize(model, calibration: data) } catch { throw .data("\(name): \(error)") }
        model.quantized = result.model
        try Outputs.stage(ModelFile.encode(model), for: output, in: outputSet)
        try Outputs.commit(outputSet)
        let float = TargetFootprint(widths: model.network.widths, scaled: model.scaling.kind != .none).flashBytes
        let trials = result.trials.map { "\($0.calibration.name) \(formatFixed($0.accuracy * 100, digits: 2))%" }
        print("wrote \(output): int8 \(InfoCommand.shape(model.network)); calibration on \(data.count) samples of"
              + " \(Outputs.baseName(name)): \(trials.joined(separator: ", ")) -> kept \(result.model.calibration.name);"
              + " flash \(InfoCommand.group(result.model.flashBytes)) bytes (\(formatFixed(100 * Double(result.model.flashBytes) / Double(float), digits: 1))%"
              + " of the float model's \(InfoCommand.group(float)))")
    }
}
