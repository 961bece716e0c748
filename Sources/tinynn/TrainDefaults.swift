import TinyNN

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

    static let measured = TrainDefaults(optimizer: .adam, hiddenWidth: 64, hiddenActivation: .relu,
                                        batch: 10, epochs: 200, patience: 10)
    /// SGD η = 0.5, one hidden layer of 30 sigmoid neurons, batch 10, 10 epochs, no early stopping.
    static let seeds = TrainDefaults(optimizer: .sgd, hiddenWidth: 30, hiddenActivation: .sigmoid,
                                     batch: 10, epochs: 10, patience: 0)

    /// The learning rate of each optimizer when `--eta` is not given.
    static func eta(_ kind: Optimizer.Kind) -> Float {
        switch kind { case .sgd: 0.5; case .momentum: 0.05; case .adam: 0.001 }
    }
}
