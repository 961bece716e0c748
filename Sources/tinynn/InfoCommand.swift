import TinyNN
import TinyNNHost

/// `tinynn info`: what a model file holds and what it costs on the target.
enum InfoCommand {
    static let command = Command(
        name: "info",
        summary: "describe a model: layers, parameters, training, flash and RAM on the target",
        synopsis: "info MODEL",
        positionals: ["MODEL"],
        flags: [],
        details: """
            Flash and RAM are for 32-bit floats on the microcontroller. Inference keeps the
            parameters (and the input scaling) in flash; its RAM holds z and a for every neuron
            (2 floats per neuron) and the input: the scratch the C API's tinynn_predict needs.
            On-device training with the Dense<In, Out> SGD layout keeps w, gw, b, gb, z, a and δ
            in RAM: 2·In·Out + 5·Out floats per layer, plus the input sample.
            """,
        examples: ["tinynn info digits.tnn"],
        run: run)

    static func run(_ args: Arguments) throws(Failure) {
        let path = try modelPath(args)
        let model = try load(path)
        let net = model.network
        let footprint = TargetFootprint(widths: net.widths, scaled: model.scaling.kind != .none)
        print("\(path): TinyNN model, format version \(ModelFile.version)")
        print("  layers      \(shape(net))")
        print("  loss        \(net.loss.name)")
        print("  scaling     \(model.scaling.kind.name)\(model.scaling.kind == .none ? "" : " (x' = (x - offset) * scale, fitted on the training data)")")
        let weights = (0..<net.layerCount).reduce(0) { $0 + net.widths[$1] * net.widths[$1 + 1] }
        print("  parameters  \(group(net.parameterCount)) (\(group(weights)) weights, \(group(net.parameterCount - weights)) biases)")
        if let origin = model.provenance {
            print("  origin      \(origin.summary)")
            for note in origin.notes { print("              \(note)") }
        }
        print("  trained     \(model.training.summary)")
        if let stopping = model.stopping { print("  stopping    \(stopping.summary)") }
        if model.training.testLoss.isFinite {
            print("  test loss   \(formatFixed(Double(model.training.testLoss), digits: 4))")
        }
        print("  parameter CRC-32 \(ModelFile.hex(CHeader.parameterCRC(net)))")
        print("on the target (float32):")
        let scaling = footprint.scalingBytes > 0 ? " + input scaling \(group(footprint.scalingBytes))" : ""
        let neurons = net.widths.dropFirst().reduce(0, +)
        print("  inference   flash \(bytes(footprint.flashBytes)) (parameters \(group(footprint.parameterBytes))\(scaling))")
        print("              RAM \(bytes(footprint.inferenceRAMBytes)) (z and a of \(neurons) neurons: \(2 * neurons) floats;"
              + " input: \(net.inputCount) floats)")
        print("  training    RAM \(bytes(footprint.trainingRAMBytes)) (Dense<In,Out> with SGD: 2*In*Out + 5*Out floats"
              + " per layer, plus the input)")
        if let q = model.quantized { Int8Info.print(q, floatFlash: footprint.flashBytes) }
    }

    /// `64 -> 30 sigmoid -> 10 softmax`.
    static func shape(_ net: Network) -> String {
        ([String(net.widths[0])] + (0..<net.layerCount).map { "\(net.widths[$0 + 1]) \(net.activationLabel($0))" })
            .joined(separator: " -> ")
    }

    /// The one positional argument of eval, predict, info and export.
    static func modelPath(_ args: Arguments) throws(Failure) -> String {
        guard let path = args.positionals.first else { throw args.usage("no model file given") }
        return path
    }

    static func load(_ path: String) throws(Failure) -> Model {
        do { return try ModelFile.load(path) } catch { throw .data(error.description) }
    }

    /// `12,345`.
    static func group(_ n: Int) -> String {
        var s = String(n), out = ""
        while s.count > 3 { out = "," + s.suffix(3) + out; s.removeLast(3) }
        return s + out
    }

    /// `9,040 bytes`.
    static func bytes(_ n: Int) -> String { "\(group(n)) bytes" }
}
