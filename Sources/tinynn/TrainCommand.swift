import TinyNN
import TinyNNHost

/// `tinynn train`: data in, a model file (and optionally a C header and a
/// learning-curve SVG) out.
enum TrainCommand {
    /// Every activation and loss by its raw value, spelled as `Activation.name` and `Loss.name` spell them.
    static let activationNames: [(String, Activation)] = (0...UInt8.max).compactMap(Activation.init(rawValue:)).map { ($0.name, $0) }
    static let lossNames: [(String, Loss)] = (0...UInt8.max).compactMap(Loss.init(rawValue:)).map { ($0.name, $0) }
    static let optimizerNames: [(String, Optimizer.Kind)] = [("sgd", .sgd), ("momentum", .momentum), ("adam", .adam)]
    static let initNames: [(String, Initializer)] = [
        ("gaussian", .gaussian(standardDeviation: 1)), ("xavier", .xavier), ("he", .he),
    ]
    static let scaleNames: [(String, FeatureScaling.Kind)] = FeatureScaling.Kind.allCases.map { ($0.name, $0) }
    static let floatNames: [(String, CHeader.FloatStyle)] = CHeader.FloatStyle.allCases.map { ($0.rawValue, $0) }

    static let d = TrainDefaults.measured, seeds = TrainDefaults.seeds

    static let command = Command(
        name: "train",
        summary: "train a network on CSV or MNIST data; save the model, a C header, a learning curve",
        synopsis: "train (--data FILE.csv | --images FILE --labels FILE) [options]",
        flags: DataFlags.flags + [
            Flag("--test", "FILE.csv", "held-out data to measure accuracy on, same columns as --data"
                 + " (instead of --validation-split)"),
            Flag("--test-images", "FILE", "held-out MNIST images, with --test-labels"),
            Flag("--test-labels", "FILE", "held-out MNIST labels, with --test-images"),
            Flag("--validation-split", "F", "hold out this fraction of the data, chosen by a seeded shuffle,"
                 + " to measure accuracy on; 0 trains on everything (default 0.2 without --test)"),
            Flag("--layers", "N0,N1,...", "layer widths from the input: N0 must equal the number of features,"
                 + " the last the number of classes (1 for a 0/1 label); at most 8 layers"
                 + " (default FEATURES,\(d.hiddenWidth),CLASSES, the hidden width narrowed if needed to keep"
                 + " \(TrainDefaults.parameterBudget) parameters or fewer, 128 KiB: half a micro:bit's flash)"),
            Flag("--activations", "A1,A2,...", "one per layer: identity, sigmoid, tanh, relu, leaky-relu,"
                 + " softmax (output only) (default \(d.hiddenActivation.name) for hidden layers; a softmax output for"
                 + " cross-entropy or several classes, else sigmoid)"),
            Flag("--loss", "NAME", "quadratic, cross-entropy (softmax output) or binary-cross-entropy"
                 + " (sigmoid output) (default cross-entropy with a softmax output, binary-cross-entropy"
                 + " with one sigmoid output, else quadratic)"),
            Flag("--optimizer", "NAME", "sgd, momentum or adam (default \(d.optimizer.name))"),
            Flag("--eta", "X", "learning rate > 0 (default 0.5 for sgd, 0.05 for momentum, 0.001 for adam)"),
            Flag("--momentum", "X", "momentum μ in [0, 1) for --optimizer momentum (default 0.9)"),
            Flag("--weight-decay", "X", "L2 coefficient λ ≥ 0 on the weights (default 0)"),
            Flag("--batch", "N", "mini-batch size (default \(d.batch))"),
            Flag("--epochs", "N", "the most passes over the training data (default \(d.epochs))"),
            Flag("--patience", "N", "stop after N evaluations in a row without a lower held-out loss and keep"
                 + " the best evaluated epoch's parameters; 0 runs every epoch and keeps the last; off without"
                 + " held-out data (default \(d.patience))"),
            Flag("--eval-every", "N", "measure the held-out data after every N-th epoch and the last;"
                 + " patience counts these evaluations (default 1)"),
            Flag("--seeds-config", nil, "the seeds' configuration for whatever is not given: sgd eta=\(TrainDefaults.eta(.sgd)),"
                 + " one hidden layer of \(seeds.hiddenWidth) \(seeds.hiddenActivation.name), batch \(seeds.batch),"
                 + " \(seeds.epochs) epochs, patience \(seeds.patience), \(seeds.csvScaling.name) scaling for CSV"),
            Flag("--seed", "N", "seed of the initial weights, the shuffles and the validation split;"
                 + " the same seed and data give the same model file, byte for byte (default 1)"),
            Flag("--init", "NAME", "initial weights: gaussian (N(0,1) weights and biases), xavier"
                 + " (N(0,1/In)) or he (N(0,2/In)) (default xavier, he for relu layers)"),
            Flag("--scale", "KIND", "input scaling fitted on the training data and saved in the model:"
                 + " none, minmax (to [0,1]) or standard (mean 0, deviation 1) (default \(d.csvScaling.name) for CSV,"
                 + " none for MNIST, whose pixels are already in [0,1])"),
            Flag("--output", "FILE", "the model file to write (default model.tnn)"),
            Flag("--header", "FILE.h", "also export the model as a C header (see 'tinynn help export')"),
            Flag("--name", "NAME", "the header's name prefix, with --header (default model)"),
            Flag("--floats", "STYLE", "the header's float literals, decimal or hex (default decimal)"),
            Flag("--plot", "FILE.svg", "also write the learning curve: training loss and accuracy per epoch"),
            InitFrom.flag,
        ],
        details: """
            Trains with mini-batch gradient descent through the same kernels as the firmware, then
            writes the model file (and the header and plot if asked) via a temporary file and a
            rename, so a failed run leaves existing files untouched. Progress goes to standard
            error, one line per epoch (epoch, samples/s, mean training loss, accuracy, time left),
            rewritten in place on a terminal.
            """,
        examples: [
            "tinynn train --data Data/digits/digits.csv --epochs 30 --output digits.tnn --header digits.h --plot digits.svg",
            "tinynn train --images Data/mnist/t10k-images-idx3-ubyte.gz --labels Data/mnist/t10k-labels-idx1-ubyte.gz"
                + " --limit 8000 --layers 784,100,10 --activations relu,softmax --optimizer adam --eta 0.001"
                + " --batch 32 --epochs 15 --output mnist.tnn",
        ],
        run: run)

    static func run(_ args: Arguments) throws(Failure) {
        // Everything the command line alone decides, before any data is read.
        let initial = try InitFrom.model(args)
        let layers = if let initial { initial.network.widths } else { try args.string("--layers").map { text throws(Failure) in try parseLayers(text, args) } }
        let activationList = if let initial { initial.network.activations } else { try args.string("--activations").map { text throws(Failure) in
            try text.split(separator: ",", omittingEmptySubsequences: false).map { name throws(Failure) in
                guard let a = activationNames.first(where: { $0.0 == name })?.1 else {
                    throw args.usage("--activations: unknown activation '\(name)' (\(activationNames.map(\.0).joined(separator: ", ")))")
                }
                return a
            }
        } }
        let lossChoice = if let initial { initial.network.loss } else { try args.choice("--loss", lossNames) }
        let d = args.has("--seeds-config") ? seeds : d
        let kind = try args.choice("--optimizer", optimizerNames) ?? d.optimizer
        let eta = try args.float("--eta", default: TrainDefaults.eta(kind), range: 0...1e6, above: true)
        let mu = try args.float("--momentum", default: 0.9, range: 0...0.999_999)
        let decay = try args.float("--weight-decay", default: 0, range: 0...1e6)
        let batch = try args.int("--batch", default: d.batch, range: 1...1_000_000)
        let epochs = try args.int("--epochs", default: d.epochs, range: 0...1_000_000)
        let stopping = try EarlyStopping(patience: args.int("--patience", default: d.patience, range: 0...1_000_000),
                                         evalEvery: args.int("--eval-every", default: 1, range: 1...1_000_000))
        let seed = try args.uint64("--seed", default: 1)
        let initializer = try args.choice("--init", initNames)
        let floats = try args.choice("--floats", floatNames) ?? .decimal
        let name = args.string("--name") ?? "model"
        guard CHeader.isValidName(name) else {
            throw args.usage("--name '\(name)' must be a lowercase letter, then lowercase letters, digits or _")
        }
        let hasTest = args.has("--test") || args.has("--test-images") || args.has("--test-labels")
        if hasTest && args.has("--validation-split") { throw args.usage("give --test or --validation-split, not both") }
        let split = try Double(args.float("--validation-split", default: hasTest ? 0 : 0.2, range: 0...0.99))
        let optimizer: Optimizer = switch kind {
            case .sgd: .sgd(learningRate: eta, weightDecay: decay)
            case .momentum: .momentum(learningRate: eta, momentum: mu, weightDecay: decay)
            case .adam: .adam(learningRate: eta, weightDecay: decay)
        }
        if let layers, let activationList, activationList.count != layers.count - 1 {
            throw args.usage("--activations names \(activationList.count), but --layers has \(layers.count - 1) layers")
        }
        let output = args.string("--output") ?? "model.tnn"
        let outputs = [output] + ["--header", "--plot"].compactMap { args.string($0) }
        let inputs = ["--data", "--test", "--images", "--labels", "--test-images", "--test-labels", "--init-from"].compactMap { args.string($0) }
        let outputSet = try Outputs.set(outputs, inputs: inputs, args)

        // The data.
        let classCount = layers.map { $0.last! == 1 ? 2 : $0.last! }
        let (all, dataName) = try DataFlags.load(args, classCount: classCount)!
        let given = try DataFlags.load(args, csvFlag: "--test", imagesFlag: "--test-images", labelsFlag: "--test-labels",
                                       classCount: classCount ?? all.classCount, schema: all.schema, required: false)
        let classes = max(all.classCount, given?.data.classCount ?? 0, 2)
        let widths = layers ?? [all.featureCount, d.hiddenWidth(inputs: all.featureCount, outputs: classes), classes]
        guard widths[0] == all.featureCount else {
            throw args.usage("--layers \(widths.map(String.init).joined(separator: ",")): the first width is"
                             + " \(widths[0]), but \(dataName) has \(all.featureCount) features")
        }
        if let given, given.data.featureCount != all.featureCount {
            throw .data("\(given.name) has \(given.data.featureCount) features, \(dataName) has \(all.featureCount)")
        }
        // One output is a 0/1 label: sigmoid and binary cross-entropy; more are one-hot classes.
        let binary = widths.last! == 1
        let outputActivation: Activation = lossChoice.map { $0 == .crossEntropy ? .softmax : .sigmoid }
            ?? (binary ? .sigmoid : .softmax)
        let activations = activationList ?? Array(repeating: d.hiddenActivation, count: widths.count - 2) + [outputActivation]
        let loss = lossChoice ?? (activations.last == .softmax ? .crossEntropy
                                  : binary && activations.last == .sigmoid ? .binaryCrossEntropy : .quadratic)
        guard activations.count == widths.count - 1 else {
            throw args.usage("--activations names \(activations.count), but the network has \(widths.count - 1) layers")
        }
        guard loss.isCompatible(with: activations.last!) else {
            let needs = loss == .crossEntropy ? "softmax" : "sigmoid"
            throw args.usage("--loss \(loss.name) needs a \(needs) output layer, not \(activations.last!.name)")
        }
        let network: Network
        do { network = try Network(widths: widths, activations: activations, loss: loss) } catch {
            throw args.usage("\(error)")
        }
        // The training rows of `all` (nil: every row) and the held-out samples.
        let rows: [Int]?, heldOut: Dataset?
        if let given { (rows, heldOut) = (nil, given.data) } else {
            let parts = all.splitRows(holdingOut: split, seed: TrainingSeeds(seed).split)
            (rows, heldOut) = parts.test.isEmpty ? (nil, nil) : (parts.train, all.subset(parts.test))
        }
        let trainCount = rows?.count ?? all.count

        // Scale, train, measure. Unscaled (MNIST), the trainer reads the
        // training rows in place; scaled, they are copied and scaled first.
        let isMNIST = args.has("--images")
        let scalingKind = try args.choice("--scale", scaleNames) ?? (isMNIST ? .none : d.csvScaling)
        let scaling: FeatureScaling, scaledTrain: Dataset, trainRows: [Int]?
        if let s = initial?.scaling ?? (scalingKind == .none ? FeatureScaling.none : nil), s.kind == .none {
            (scaling, scaledTrain, trainRows) = (s, all, rows)
        } else {
            let train = rows.map { all.subset($0) } ?? all
            scaling = initial?.scaling ?? FeatureScaling.fit(scalingKind, to: train)
            (scaledTrain, trainRows) = (scaling.apply(to: train), nil)
        }
        let scaledTest = heldOut.map { scaling.apply(to: $0) }
        if let initial { InitFrom.start(network, from: initial) } else {
            network.initialize(seed: TrainingSeeds(seed).initialization, initializer: initializer)
        }
        let trainer = Trainer(optimizer: optimizer, batchSize: min(batch, trainCount), epochs: epochs,
                              seed: TrainingSeeds(seed).shuffle,
                              stopping: heldOut == nil ? EarlyStopping(patience: 0, evalEvery: stopping.evalEvery) : stopping)
        let accuracyLabel = heldOut == nil ? "train accuracy" : "test accuracy"
        let progress = Progress(epochs: epochs, accuracyLabel: accuracyLabel)
        let reports: [Trainer.EpochReport]
        var stopped: StoppingRecord
        do {
            (reports, stopped) = try trainer.run(network, on: scaledTrain, rows: trainRows, test: scaledTest ?? scaledTrain,
                                                 fromStart: initial != nil, report: progress.report)
            if heldOut == nil { stopped.keptLoss = .nan }  // the "test" was the training data
            progress.stopped(stopped)
        } catch {
            progress.finish()
            throw .data("\(dataName): \(error)")
        }
        let final = evaluate(network, on: scaledTest ?? scaledTrain)
        var record = TrainingRecord(
            optimizer: optimizer, initializer: initializer, batchSize: min(batch, trainCount), epochs: epochs, seed: seed,
            trainingSamples: trainCount, testSamples: heldOut?.count ?? 0, classCount: max(all.classCount, widths.last! == 1 ? 2 : widths.last!),
            trainingLoss: reports.last { $0.epoch == stopped.keptEpoch }?.trainCost ?? .nan, accuracy: Float(final.accuracy),
            testLoss: heldOut == nil ? .nan : final.cost)
        record.startedFromModel = initial != nil
        var model = Model(network: network, scaling: scaling, training: record,
                          provenance: InitFrom.provenance(from: initial, path: args.string("--init-from")))
        model.stopping = stopped
        model.schema = all.schema

        // Write: every output staged, then all renamed together.
        var wrote = ["wrote \(output): \(InfoCommand.shape(network)), \(network.parameterCount) parameters; \(record.summary)"]
        try Outputs.stage(ModelFile.encode(model), for: output, in: outputSet)
        if let header = args.string("--header") {
            try Outputs.stage(CHeader.render(model, name: name, source: Outputs.baseName(output), floats: floats),
                              for: header, in: outputSet)
            wrote.append("wrote \(header): C header, prefix tinynn_\(name)_ / TINYNN_\(name.uppercased())_")
        }
        if let plot = args.string("--plot") {
            let svg = LearningCurve.svg(
                loss: reports.map(\.trainCost), accuracy: reports.map(\.testAccuracy),
                title: "\(Outputs.baseName(dataName)): \(InfoCommand.shape(network)), \(optimizer.kind.name) eta=\(eta)",
                accuracyLabel: accuracyLabel)
            try Outputs.stage(svg, for: plot, in: outputSet)
            wrote.append("wrote \(plot): learning curve, \(reports.count) epochs")
        }
        try Outputs.commit(outputSet)
        for line in wrote { print(line) }
    }

    static func parseLayers(_ text: String, _ args: Arguments) throws(Failure) -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        var widths: [Int] = []
        for p in parts {
            guard let w = Int(p), (1...1 << 20).contains(w) else {
                throw args.usage("--layers \(text): '\(p)' is not a width in 1...\(1 << 20)")
            }
            widths.append(w)
        }
        guard (2...NetworkView.maxLayers + 1).contains(widths.count) else {
            throw args.usage("--layers \(text): give 2 to \(NetworkView.maxLayers + 1) widths (input, then each layer)")
        }
        return widths
    }
}
