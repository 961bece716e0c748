import TinyNNHost

/// `tinynn eval`: a model's accuracy, loss and confusion matrix on labelled data.
enum EvalCommand {
    static let command = Command(
        name: "eval",
        summary: "measure a model on labelled data: accuracy, loss, confusion matrix",
        synopsis: "eval MODEL (--data FILE.csv | --images FILE --labels FILE) [--label-column C] [--limit N]",
        positionals: ["MODEL"],
        flags: DataFlags.flags,
        details: """
            The model's input scaling is applied to the raw features first. The predicted class
            is the largest output (for one output, whether it exceeds 0.5).
            """,
        examples: [
            "tinynn eval digits.tnn --data Data/digits/digits.csv",
            "tinynn eval mnist.tnn --images Data/mnist/t10k-images-idx3-ubyte.gz --labels Data/mnist/t10k-labels-idx1-ubyte.gz",
        ],
        run: run)

    static func run(_ args: Arguments) throws(Failure) {
        let path = try InfoCommand.modelPath(args)
        let model = try InfoCommand.load(path)
        let outputs = model.network.outputCount
        let (data, name) = try DataFlags.load(args, classCount: outputs == 1 ? 2 : outputs,
                                              schema: model.schema ?? DataSchema(featureCount: model.network.inputCount))!
        var e: Evaluation
        do { e = try model.evaluate(on: data, name: name) } catch { throw .data("\(error)") }
        print("\(name): \(data.count) samples, \(data.featureCount) features")
        if model.quantized != nil {
            let float = e
            do { e = try model.evaluateInt8(on: data, name: name) } catch { throw .data("\(error)") }
            print("float32   \(formatFixed(float.accuracy * 100, digits: 2))% (the float model it was quantized from)")
        }
        let correct = (0..<e.confusion.count).reduce(0) { $0 + e.confusion[$1][$1] }
        print("accuracy  \(formatFixed(e.accuracy * 100, digits: 2))% (\(correct)/\(data.count))\(model.quantized != nil ? " int8" : "")")
        if e.cost.isFinite {
            print("loss      \(formatFixed(Double(e.cost), digits: 4)) (\(model.network.loss.name), mean per sample)")
        }
        print("confusion matrix (rows: actual class, columns: predicted class)")
        let width = max(4, String(e.confusion.joined().max() ?? 0).count + 1)
        func cell(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
        print(cell("") + "  " + e.confusion.indices.map { cell(String($0)) }.joined())
        for (actual, row) in e.confusion.enumerated() {
            print(cell(String(actual)) + "  " + row.map { cell(String($0)) }.joined())
        }
    }
}
