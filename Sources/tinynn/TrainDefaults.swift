import TinyNN
import TinyNNHost

/// The settings `tinynn train` uses for what the command line leaves out:
/// the measured defaults (README, "Defaults"; `Scripts/compare-defaults`
/// measures them against scikit-learn's), or with `--seeds-config` the
/// seeds' configuration the kit started with.
struct TrainDefaults {
    var optimizer: Optimizer.Kind
    var hiddenWidth: Int
    var hiddenActivation: Activation
    var batch: Int
    var epochs: Int
    var patience: Int
    /// Input scaling for CSV data (MNIST pixels are already in [0, 1]: none).
    var csvScaling: FeatureScaling.Kind

    static let measured = TrainDefaults(optimizer: .adam, hiddenWidth: 100, hiddenActivation: .relu,
                                        batch: 20, epochs: 200, patience: 20, csvScaling: .standard)
    /// SGD η = 0.5, one hidden layer of 30 sigmoid neurons, batch 10, 10 epochs, no early stopping,
    /// min-max scaling.
    static let seeds = TrainDefaults(optimizer: .sgd, hiddenWidth: 30, hiddenActivation: .sigmoid,
                                     batch: 10, epochs: 10, patience: 0, csvScaling: .minMax)

    /// At most this many parameters in the default network: 128 KiB of float32, half the
    /// flash of the smallest board (micro:bit, 256 KiB), the rest left for code and data.
    static let parameterBudget = 32_768

    /// ``hiddenWidth``, narrowed if needed so that `inputs -> hidden -> outputs` fits
    /// ``parameterBudget`` (784 MNIST pixels and 10 classes: 41).
    func hiddenWidth(inputs: Int, outputs: Int) -> Int {
        max(1, min(hiddenWidth, (Self.parameterBudget - outputs) / (inputs + 1 + outputs)))
    }

    /// The learning rate of each optimizer when `--eta` is not given.
    static func eta(_ kind: Optimizer.Kind) -> Float {
        switch kind { case .sgd: 0.5; case .momentum: 0.05; case .adam: 0.001 }
    }
}
