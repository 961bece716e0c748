/// When training evaluates the held-out data and when it stops.
///
/// Training evaluates after every `evalEvery`-th epoch and after the last
/// one (`--epochs`, the maximum). With `patience` p > 0 it stops at the
/// first evaluation that is the p-th in a row whose held-out loss is not
/// strictly below the best so far, and the network gets back the parameters
/// of the best evaluated epoch. Patience counts evaluations, not epochs: with
/// `evalEvery` k, up to p·k epochs pass without improvement. The rule reads
/// only the held-out costs, so the same seed and data stop at the same epoch.
public struct EarlyStopping: Sendable, Equatable {
    /// Evaluations without improvement before stopping; 0 never stops early
    /// and keeps the last epoch.
    public var patience: Int
    /// Evaluate after every N-th epoch (and the last).
    public var evalEvery: Int

    public init(patience: Int, evalEvery: Int = 1) {
        self.patience = patience; self.evalEvery = evalEvery
    }

    /// Every epoch evaluated, every epoch run, the last one kept.
    public static let off = EarlyStopping(patience: 0)

    /// Whether epoch `epoch` (1-based) of at most `epochs` is evaluated.
    public func evaluates(epoch: Int, of epochs: Int) -> Bool {
        epoch == epochs || epoch % evalEvery == 0
    }
}

/// Tracks the best evaluated epoch during a run and keeps its parameters.
struct StoppingState {
    let rule: EarlyStopping
    var bestEpoch = 0
    var bestCost = Float.infinity
    var bestParameters: [Float] = []
    /// Evaluations in a row since the last improvement.
    var stale = 0

    init(_ rule: EarlyStopping) { self.rule = rule }

    /// Records an evaluation; true when training should stop here.
    mutating func observe(epoch: Int, cost: Float, network: Network) -> Bool {
        guard rule.patience > 0 else { return false }
        if cost < bestCost {
            bestCost = cost; bestEpoch = epoch; stale = 0
            bestParameters = network.flatParameters
            return false
        }
        stale += 1
        return stale >= rule.patience
    }

    /// Puts the best epoch's parameters back (with patience; else keeps the last).
    func restore(into network: Network) {
        guard rule.patience > 0, !bestParameters.isEmpty else { return }
        var k = 0
        for l in 0..<network.layerCount {
            for i in network.w[l].indices { network.w[l][i] = bestParameters[k]; k += 1 }
            for i in network.b[l].indices { network.b[l][i] = bestParameters[k]; k += 1 }
        }
    }
}
